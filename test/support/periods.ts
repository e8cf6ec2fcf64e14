import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { storeReturnVersion } from '../../src/returns/store-version';

/**
 * A test fixture that closes quarters the way a submitted return does (a return_version row),
 * without assembling a return: for tests about locking, not about returns.
 */
export async function closeQuartersForTest(
  m: EntityManager,
  programmeId: number,
  quarters: string[],
  at: string,
): Promise<void> {
  for (const quarter of quarters) {
    const snapshot = JSON.stringify({ testFixture: true, quarter });
    await storeReturnVersion(
      m,
      {
        programmeId,
        quarter,
        version: 1,
        status: 'submitted',
        snapshotSha256: createHash('sha256').update(snapshot).digest('hex'),
        xlsxBase64: null,
        xlsxSha256: null,
        reason: null,
        comments: null,
        submittedBy: 'test fixture',
        submittedAt: at,
        submittedOn: null,
      },
      [snapshot],
    );
  }
}
