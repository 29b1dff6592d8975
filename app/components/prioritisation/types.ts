import type { KanoCategory } from '~/domain/kano';
import type { Moscow } from '~/domain/moscow';
import type { NumericPart, PartStats } from '~/domain/score-results';

export type Method = 'dots' | 'wsjf' | 'moscow' | 'businessValue' | 'kano';

/** Votes before the meeting: when the window closes and who voted in it (ids, or only how many when anonymous). */
export interface AsyncWindowData {
  state: 'none' | 'open' | 'closed';
  openedAt: string;
  closesAt: string;
  closedAt: string | null;
  timeZone: string;
  earlyVoterCount: number;
  earlyVoters: string[] | null;
}

/** What the prioritisation room shows; the same for members and guests (each sees only their own votes). */
export interface PrioritisationData {
  settings: { methods: Method[]; dots: { budget: number; cap: number }; anonymous: boolean };
  voting: {
    state: string;
    revealed: boolean;
    guestsAllowed: boolean;
    voterCount: number;
    voted: string[] | null;
    /** how many who may vote have not yet given something on every agenda item */
    incomplete?: number;
    /** votes before the meeting: the asynchronous window, if one was opened */
    window?: AsyncWindowData | null;
  } | null;
  agenda: Array<{ itemId: string; title: string; type: string; estimate: number | null }>;
  texts: Array<{ itemId: string; description: string | null; criteria: string | null }>;
  myDots: Array<{ itemId: string; dots: number }>;
  myScores: Array<{ itemId: string; part: string; value: string }>;
  participants: Array<{ id: string; name: string; spectator: boolean }>;
  results: Results | null;
  proposal: Proposal | null;
}

export interface Results {
  anonymous: boolean;
  methods: string[];
  items: Array<{
    itemId: string;
    title: string;
    dots: number;
    dotVoters: number;
    dotRank: number;
    parts: Partial<Record<NumericPart, PartStats>>;
    wsjf: number | null;
    moscow: { counts: Record<Moscow, number>; top: Moscow | null };
    kano: { dominant: KanoCategory | null; counts: Record<KanoCategory, number> } | null;
    disagreement: number;
    contested: boolean;
  }>;
  participants: Array<{
    participantId: string;
    name: string;
    groupName: string | null;
    dots: Array<{ itemId: string; dots: number }>;
    scores: Array<{ itemId: string; part: string; value: string }>;
  }> | null;
  /** the agreed WSJF part weights the WSJF column uses (criteria version); null or absent: plain WSJF */
  wsjfWeights?: {
    version: number;
    weights: { businessValue: number; timeCriticality: number; riskReduction: number };
  } | null;
}

export interface Proposal {
  method: 'dots' | 'wsjf' | 'combined';
  rows: Array<{
    itemId: string;
    title: string;
    dots: number;
    wsjf: number | null;
    currentPosition: number;
    proposedPosition: number;
    move: number;
  }>;
}

export const partLabels: Record<NumericPart, string> = {
  userBusinessValue: 'User-business value',
  timeCriticality: 'Time criticality',
  riskReduction: 'Risk reduction / opportunity enablement',
  jobSize: 'Job size',
  businessValue: 'Business value',
};

export const shortPartLabels: Record<NumericPart, string> = {
  userBusinessValue: 'Value',
  timeCriticality: 'Time',
  riskReduction: 'Risk/opp.',
  jobSize: 'Job size',
  businessValue: 'Business value',
};
