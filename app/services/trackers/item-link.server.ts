import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { trackerLinks } from '../../../db/schema';

/** The Jira issue an item is linked to, as the item page shows it: key, link, and what Jira last said of it. */
export async function trackerLinkOf(db: Db, itemId: string) {
  const [link] = await db
    .select({
      issueKey: trackerLinks.issueKey,
      url: trackerLinks.url,
      status: trackerLinks.issueStatus,
      priority: trackerLinks.issuePriority,
      type: trackerLinks.issueType,
      syncedAt: trackerLinks.syncedAt,
      waiting: trackerLinks.deferred,
    })
    .from(trackerLinks)
    .where(eq(trackerLinks.itemId, itemId));
  if (!link) return null;
  const { waiting, ...shown } = link;
  return { ...shown, textWaiting: waiting !== null };
}
