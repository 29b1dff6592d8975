export type DemoItem = {
  type: 'epic' | 'story' | 'bug' | 'tech_debt' | 'spike';
  title: string;
  description: string;
  estimate?: number;
  status?: 'new' | 'refined' | 'ready' | 'in_sprint' | 'done' | 'accepted';
  /** title of the parent epic, which must come earlier in the list */
  epic?: string;
};

const self = 'Self-service booking';
const remind = 'Reminders and no-show reduction';
const pay = 'Online payments';
const staff = 'Clinic staff tools';

/** The demo product's backlog, in backlog order: a realistic mix of epics, stories, bugs, debt and spikes. */
export const demoBacklog: DemoItem[] = [
  {
    type: 'epic',
    title: self,
    description: 'Patients book, move and cancel appointments without calling the clinic.',
    status: 'refined',
  },
  {
    type: 'story',
    epic: self,
    title: 'Book a first assessment online',
    description:
      'As a new patient I want to book a first assessment online so that I do not have to call during opening hours.',
    estimate: 8,
    status: 'in_sprint',
  },
  {
    type: 'story',
    epic: self,
    title: 'See free slots per clinic and therapist',
    description:
      'As a patient I want to see free slots for my clinic and preferred therapist so that I can pick a time that suits me.',
    estimate: 5,
    status: 'in_sprint',
  },
  {
    type: 'bug',
    title: 'Slot list shows times in UTC instead of clinic time',
    description: 'Patients in the Lisbon clinic see slots one hour early in summer.',
    estimate: 2,
    status: 'in_sprint',
  },
  {
    type: 'story',
    epic: self,
    title: 'Reschedule an appointment up to 24 hours before',
    description:
      'As a patient I want to move my appointment myself so that I keep my treatment plan when plans change.',
    estimate: 5,
    status: 'ready',
  },
  {
    type: 'story',
    epic: self,
    title: 'Cancel an appointment with a reason',
    description:
      'As a patient I want to cancel and say why so that the clinic can offer the slot to someone else.',
    estimate: 3,
    status: 'ready',
  },
  {
    type: 'epic',
    title: remind,
    description: 'Fewer missed appointments through timely reminders and an easy way to confirm.',
    status: 'refined',
  },
  {
    type: 'story',
    epic: remind,
    title: 'SMS reminder 24 hours before the appointment',
    description: 'As a patient I want a text message the day before so that I do not forget my appointment.',
    estimate: 5,
    status: 'refined',
  },
  {
    type: 'story',
    epic: remind,
    title: 'Confirm or cancel from the reminder',
    description:
      'As a patient I want to confirm or cancel by replying to the reminder so that I do not need to log in.',
    estimate: 8,
    status: 'refined',
  },
  {
    type: 'spike',
    epic: remind,
    title: 'Compare SMS providers for Portugal and Spain',
    description: 'Delivery rates, price per message and two-way support for the two countries we operate in.',
    estimate: 2,
    status: 'ready',
  },
  {
    type: 'story',
    epic: remind,
    title: 'Clinic sees the no-show rate per week',
    description:
      'As a clinic manager I want to see the weekly no-show rate so that I can tell whether reminders work.',
    estimate: 3,
  },
  {
    type: 'tech_debt',
    title: 'Replace the nightly CSV import of therapist calendars',
    description:
      'The import runs at 02:00 and breaks when a calendar has an empty row; read the calendars through the API instead.',
    estimate: 5,
    status: 'refined',
  },
  {
    type: 'epic',
    title: pay,
    description: 'Patients pay deposits and invoices online; the front desk stops chasing payments.',
  },
  {
    type: 'story',
    epic: pay,
    title: 'Pay a deposit when booking a first assessment',
    description: 'As a clinic owner I want a deposit for first assessments so that no-shows cost less.',
    estimate: 8,
  },
  {
    type: 'story',
    epic: pay,
    title: 'Pay an invoice by card after the session',
    description:
      'As a patient I want to pay by card from the invoice email so that I do not queue at the desk.',
    estimate: 5,
  },
  {
    type: 'story',
    epic: pay,
    title: 'Download invoices for insurance claims',
    description:
      'As a patient I want to download my invoices as PDF so that I can claim them from my insurer.',
    estimate: 3,
  },
  {
    type: 'spike',
    epic: pay,
    title: 'Check MB WAY support with our payment provider',
    description:
      'Most patients in Portugal pay with MB WAY; find out whether our provider supports it and at what cost.',
    estimate: 1,
  },
  {
    type: 'bug',
    title: 'Confirmation email goes to spam for Outlook users',
    description: 'Missing DKIM alignment on the booking domain.',
    estimate: 2,
    status: 'refined',
  },
  {
    type: 'epic',
    title: staff,
    description: 'The front desk and therapists manage the day without the old desktop software.',
  },
  {
    type: 'story',
    epic: staff,
    title: 'Front desk sees today’s appointments per room',
    description:
      'As a receptionist I want today’s appointments per room so that I can direct patients on arrival.',
    estimate: 5,
  },
  {
    type: 'story',
    epic: staff,
    title: 'Therapist blocks time for training or leave',
    description: 'As a therapist I want to block time in my calendar so that patients cannot book it.',
    estimate: 3,
  },
  {
    type: 'story',
    epic: staff,
    title: 'Mark a patient as arrived',
    description:
      'As a receptionist I want to mark arrivals so that the therapist knows the patient is waiting.',
    estimate: 2,
  },
  {
    type: 'story',
    epic: staff,
    title: 'Export the week’s schedule to print',
    description:
      'As a clinic manager I want a printable weekly schedule so that the team has it on the wall.',
    estimate: 2,
  },
  {
    type: 'tech_debt',
    title: 'Upgrade the booking service to a supported runtime',
    description: 'The booking service runs on an end-of-life runtime; security patches stop next quarter.',
    estimate: 3,
  },
  {
    type: 'story',
    title: 'Accessible booking flow (WCAG 2.2 AA)',
    description: 'As a patient using a screen reader I want to complete a booking so that I am not excluded.',
    estimate: 8,
  },
  {
    type: 'story',
    title: 'Booking page in Portuguese and Spanish',
    description: 'As a patient I want the booking pages in my language so that I understand what I agree to.',
    estimate: 5,
  },
  {
    type: 'bug',
    title: 'Double booking possible when two patients click the same slot',
    description: 'Two confirmations were sent for the same 09:00 slot in Porto on 3 November.',
    estimate: 3,
    status: 'ready',
  },
  {
    type: 'story',
    title: 'Waiting list for fully booked therapists',
    description: 'As a patient I want to join a waiting list so that I get a slot when someone cancels.',
    estimate: 8,
  },
  {
    type: 'spike',
    title: 'Can we read referrals from the national health portal?',
    description: 'Find out what access and certification we would need.',
    estimate: 3,
  },
  {
    type: 'story',
    title: 'Patient feedback after the third session',
    description:
      'As a clinic owner I want a short survey after the third session so that we learn what patients value.',
    estimate: 3,
  },
  {
    type: 'tech_debt',
    title: 'Remove the unused fax integration',
    description: 'No clinic has sent a fax since 2024; the integration still runs every hour.',
    estimate: 1,
  },
];
