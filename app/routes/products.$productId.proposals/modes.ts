import { backlogProposalLabels } from '~/domain/order-proposals';
import type { ProposalMode } from '~/services/backlog/proposals.server';

/** The proposal orders, as the page offers them (the service's `proposalModes`, in the same order). */
export const modes = ['wsjf', 'moscow_wsjf'] as const satisfies readonly ProposalMode[];
export const modeLabels: Record<ProposalMode, string> = backlogProposalLabels;
