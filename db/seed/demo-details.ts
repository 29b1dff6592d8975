/**
 * What the demo backlog carries beyond titles: Gherkin criteria, WSJF parts, MoSCoW, labels and dependencies,
 * keyed by item title. Kept apart from the list so each stays readable.
 */
type Part = 1 | 2 | 3 | 5 | 8 | 13 | 20;
export interface DemoDetails {
  criteria?: string;
  wsjf?: [userBusinessValue: Part, timeCriticality: Part, riskReduction: Part, jobSize: Part];
  moscow?: 'must' | 'should' | 'could' | 'wont';
  labels?: string[];
  /** titles of the items this one is blocked by */
  blockedBy?: string[];
  readyChecks?: string[];
}

export const demoDefinitionOfReady = [
  { id: 'value', text: 'The value for the user is stated (As a … I want … so that …)' },
  { id: 'criteria', text: 'Acceptance criteria are written, including failure paths' },
  { id: 'estimate', text: 'The team has estimated it' },
  { id: 'small', text: 'It fits in one sprint' },
  { id: 'deps', text: 'Dependencies are known' },
];

export const demoDefinitionOfDone = [
  { id: 'review', text: 'Code reviewed and merged' },
  { id: 'tests', text: 'Automated tests cover the acceptance criteria' },
  { id: 'a11y', text: 'Accessible by keyboard and screen reader' },
  { id: 'docs', text: 'Release notes updated' },
  { id: 'deployed', text: 'Deployed to the staging clinics' },
];

export const demoDetails: Record<string, DemoDetails> = {
  'Book a first assessment online': {
    wsjf: [20, 13, 8, 8],
    moscow: 'must',
    labels: ['booking', 'web'],
    readyChecks: ['value', 'criteria', 'estimate', 'small', 'deps'],
    criteria: `Feature: Book a first assessment online

  Background:
    Given the Porto clinic has free first-assessment slots tomorrow

  Scenario: A new patient books a free slot
    Given I am a new patient on the booking page
    When I choose tomorrow at 09:00 with any therapist
    And I enter my name, phone number and email
    Then the slot is reserved for me
    And I receive a confirmation email with the clinic address

  Scenario: The slot was taken a moment ago
    Given another patient has just booked tomorrow at 09:00
    When I try to book tomorrow at 09:00
    Then I am told the slot is no longer free
    And I am shown the next three free slots

  Scenario Outline: Contact details are checked
    When I enter the phone number "<phone>"
    Then I see "<message>"

    Examples:
      | phone         | message                         |
      | 912 345 678   | nothing, the number is accepted |
      | 12            | Enter a full phone number       |
`,
  },
  'See free slots per clinic and therapist': {
    wsjf: [13, 8, 5, 5],
    moscow: 'must',
    labels: ['booking', 'web'],
    readyChecks: ['value', 'criteria', 'estimate', 'small', 'deps'],
    criteria: `Feature: Free slots per clinic and therapist

  Scenario: Filter by therapist
    Given the Lisbon clinic has slots with Ana and with Rui
    When I choose the therapist "Ana"
    Then I only see Ana's free slots

  Scenario: No free slots this week
    Given Rui has no free slots this week
    When I choose the therapist "Rui"
    Then I see "No free slots this week"
    And I am offered the first free slot next week
`,
  },
  'Slot list shows times in UTC instead of clinic time': {
    wsjf: [8, 13, 5, 2],
    moscow: 'must',
    labels: ['booking', 'bug'],
  },
  'Reschedule an appointment up to 24 hours before': {
    wsjf: [13, 5, 3, 5],
    moscow: 'should',
    labels: ['booking'],
    readyChecks: ['value', 'criteria', 'estimate', 'small', 'deps'],
    criteria: `Feature: Reschedule an appointment

  Scenario: Move an appointment to another free slot
    Given I have an appointment in three days
    When I move it to a free slot next week
    Then my old slot is free for others
    And I receive an updated confirmation

  Scenario: Too late to reschedule online
    Given my appointment is in 20 hours
    When I try to reschedule it
    Then I am told to call the clinic
    But my appointment stays as it is
`,
  },
  'Cancel an appointment with a reason': {
    wsjf: [8, 5, 5, 3],
    moscow: 'should',
    labels: ['booking'],
    readyChecks: ['value', 'criteria', 'estimate', 'small', 'deps'],
  },
  'SMS reminder 24 hours before the appointment': {
    wsjf: [13, 8, 13, 5],
    moscow: 'must',
    labels: ['reminders', 'sms'],
    blockedBy: ['Compare SMS providers for Portugal and Spain'],
    readyChecks: ['value', 'criteria', 'estimate'],
    criteria: `Feature: SMS reminder

  Scenario: Reminder the day before
    Given I have an appointment tomorrow at 10:00
    When it is 10:00 today
    Then I receive a text message with the time and the clinic address

  Scenario: No phone number
    Given I booked without a mobile number
    Then no reminder is sent
    And the front desk sees "no reminder possible" on my appointment
`,
  },
  'Confirm or cancel from the reminder': {
    wsjf: [13, 5, 13, 8],
    moscow: 'should',
    labels: ['reminders', 'sms'],
    blockedBy: ['SMS reminder 24 hours before the appointment'],
  },
  'Compare SMS providers for Portugal and Spain': {
    wsjf: [3, 8, 13, 2],
    moscow: 'must',
    labels: ['reminders', 'research'],
    readyChecks: ['value', 'estimate', 'small', 'deps'],
  },
  'Clinic sees the no-show rate per week': { wsjf: [5, 2, 3, 3], moscow: 'could', labels: ['reporting'] },
  'Replace the nightly CSV import of therapist calendars': {
    wsjf: [3, 5, 8, 5],
    moscow: 'should',
    labels: ['tech'],
  },
  'Pay a deposit when booking a first assessment': {
    wsjf: [13, 3, 8, 8],
    moscow: 'should',
    labels: ['payments'],
    blockedBy: ['Check MB WAY support with our payment provider'],
    // Roughly estimated when the epic was sliced; the criteria wait for the planned refinement.
    readyChecks: ['value', 'estimate', 'deps'],
  },
  'Pay an invoice by card after the session': {
    wsjf: [8, 3, 3, 5],
    moscow: 'could',
    labels: ['payments'],
    readyChecks: ['value', 'estimate'],
  },
  'Download invoices for insurance claims': {
    wsjf: [5, 2, 1, 3],
    moscow: 'could',
    labels: ['payments'],
    readyChecks: ['value', 'estimate'],
  },
  'Check MB WAY support with our payment provider': {
    wsjf: [2, 3, 8, 1],
    moscow: 'should',
    labels: ['payments', 'research'],
    readyChecks: ['estimate', 'small'],
  },
  'Confirmation email goes to spam for Outlook users': {
    wsjf: [8, 8, 5, 2],
    moscow: 'must',
    labels: ['email', 'bug'],
  },
  'Front desk sees today’s appointments per room': {
    wsjf: [8, 3, 2, 5],
    moscow: 'should',
    labels: ['staff'],
  },
  'Accessible booking flow (WCAG 2.2 AA)': { wsjf: [8, 8, 8, 8], moscow: 'must', labels: ['a11y', 'web'] },
  'Double booking possible when two patients click the same slot': {
    wsjf: [13, 13, 8, 3],
    moscow: 'must',
    labels: ['booking', 'bug'],
  },
  'Waiting list for fully booked therapists': { wsjf: [8, 2, 2, 8], moscow: 'could', labels: ['booking'] },
  'Remove the unused fax integration': { wsjf: [1, 1, 2, 1], moscow: 'wont', labels: ['tech'] },
};
