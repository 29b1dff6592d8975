import { describe, expect, it } from 'vitest';
import { inWords, joinIntro, openVotingText } from './join-text';

describe('the join page’s promise', () => {
  it('promises only dots in a dots-only session', () => {
    const text = joinIntro('prioritisation', { methods: ['dots'] });
    expect(text).toBe(
      'You will place dots on the items that matter most to you. Nobody sees your votes before the facilitator reveals the results.',
    );
    expect(text).not.toMatch(/scor/i);
  });

  it('promises scoring, and no dots, in a scoring-only session', () => {
    const text = joinIntro('prioritisation', { methods: ['wsjf', 'businessValue'] });
    expect(text).toMatch(
      /^You will score each item’s cost of delay \(WSJF\) and give each item a business value/,
    );
    expect(text).not.toMatch(/dots/);
  });

  it('names every method of a session that uses them all, in words', () => {
    const text = joinIntro('prioritisation', {
      methods: ['dots', 'wsjf', 'moscow', 'businessValue', 'kano'],
    });
    expect(text).toContain(
      'place dots on the items that matter most to you, score each item’s cost of delay',
    );
    expect(text).toContain('and answer two short questions about each item (Kano).');
  });

  it('says an anonymous session never links a person to a vote', () => {
    expect(joinIntro('prioritisation', { methods: ['dots'], anonymous: true })).toContain(
      'the results never say who voted what',
    );
  });

  it('does not invent a method it does not know', () => {
    expect(joinIntro('prioritisation', { methods: ['rice'] })).toMatch(
      /^You will vote on the items on the agenda\./,
    );
  });

  it('describes a review and any other session without voting', () => {
    expect(joinIntro('review', {})).toMatch(/^You will follow the sprint review live/);
    expect(joinIntro('review', {})).not.toMatch(/vote|dots|score/);
    expect(joinIntro('kickoff', { methods: ['dots'] })).toBe(
      'You will take part in this session as a guest.',
    );
  });

  it('describes a refinement: following, hand and questions; estimating only when guests may', () => {
    const watching = joinIntro('refinement', { methods: ['dots'], guestsEstimate: false });
    expect(watching).toMatch(/^You will follow the refinement live/);
    expect(watching).toMatch(/raise your hand and ask questions; the facilitator may let guests estimate\.$/);
    expect(watching).not.toMatch(/dots|score/);
    expect(joinIntro('refinement', { guestsEstimate: true })).toMatch(
      /ask questions and estimate with the team; nobody sees your card before the reveal\.$/,
    );
  });

  it('lists in words', () => {
    expect(inWords([])).toBe('');
    expect(inWords(['a'])).toBe('a');
    expect(inWords(['a', 'b'])).toBe('a and b');
    expect(inWords(['a', 'b', 'c'])).toBe('a, b and c');
  });
});

describe('the voting bar while voting is open', () => {
  it('asks for what the session uses', () => {
    expect(openVotingText(['dots'])).toBe(
      'Voting is open: place your dots. You can change them until voting closes.',
    );
    expect(openVotingText(['wsjf', 'kano'])).toMatch(/^Voting is open: place your scores\./);
    expect(openVotingText(['dots', 'moscow'])).toMatch(/^Voting is open: place your dots and scores\./);
  });
});
