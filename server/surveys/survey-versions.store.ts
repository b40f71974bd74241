/**
 * survey_versions: every definition an answer set was given against, keyed by
 * (survey id, content hash). Definitions are global (the catalogue is shared by every
 * organisation), so these functions take no organisation id.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../storage/db';
import { surveyVersions } from '../storage/schema';

export async function insertVersionIfMissing(db: Db, surveyId: string, version: string, definition: unknown): Promise<void> {
  await db.insert(surveyVersions).values({ surveyId, version, definition }).onConflictDoNothing();
}

export async function getDefinition(db: Db, surveyId: string, version: string): Promise<unknown | undefined> {
  const [row] = await db
    .select({ definition: surveyVersions.definition })
    .from(surveyVersions)
    .where(and(eq(surveyVersions.surveyId, surveyId), eq(surveyVersions.version, version)))
    .limit(1);
  return row?.definition;
}
