// Timing statistics (owned by the stats stage, src/stats/).
import { z } from 'zod';

export const Stats = z.object({}).catchall(z.unknown());
export type Stats = z.infer<typeof Stats>;
