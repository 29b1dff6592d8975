import { describe, expect, it } from 'vitest';
import { guestJoinWait } from './guests.server';

describe('guest joins per address', () => {
  it('counts every join of one app together (the join page and the API share it), per address', () => {
    const app = { config: { GUEST_JOINS_PER_MINUTE: 2 } };
    expect(guestJoinWait(app, '203.0.113.7')).toBeNull(); // by the page
    expect(guestJoinWait(app, '203.0.113.7')).toBeNull(); // by the API
    expect(guestJoinWait(app, '203.0.113.7')).toBeGreaterThan(0);
    expect(guestJoinWait(app, '198.51.100.1')).toBeNull();
    // Another running app (another test suite in this process) counts on its own.
    expect(guestJoinWait({ config: { GUEST_JOINS_PER_MINUTE: 2 } }, '203.0.113.7')).toBeNull();
  });
});
