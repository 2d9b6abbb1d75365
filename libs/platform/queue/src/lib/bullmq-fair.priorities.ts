import type { Queue } from 'bullmq';

/** BullMQ's largest priority (lower numbers start first; 0 is "no priority"). */
export const MAX_BULLMQ_PRIORITY = 2 ** 21;

/**
 * Per queue, in one Lua call: the queue's virtual time `now` is the priority of the job first in
 * line (BullMQ's `prioritized` sorted set scores priority * 2^32 + a counter), and each group
 * named in ARGV (group, job count, ...) gets `base = max(its last tag, now - 1)` (its jobs are
 * numbered base + 1, base + 2, ...) and advances its tag (a field of the hash KEYS[2]) by its count. When nothing waits, no group is owed anything: the
 * tags start again from 0 (which also keeps them far below BullMQ's 2^21).
 */
const FAIR_TAGS_LUA = `
local head = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local now = 0
if head[2] then
  now = math.floor(tonumber(head[2]) / 4294967296)
else
  redis.call('DEL', KEYS[2])
end
local bases = {}
for i = 1, #ARGV, 2 do
  local last = tonumber(redis.call('HGET', KEYS[2], ARGV[i]) or '0')
  local base = math.max(last, now - 1)
  redis.call('HSET', KEYS[2], ARGV[i], base + tonumber(ARGV[i + 1]))
  bases[#bases + 1] = base
end
return bases
`;

/**
 * Fair queuing across groups on BullMQ without its Pro groups (start-time fair queuing over
 * open-source priorities): a group's jobs are numbered on from where its earlier jobs ended, or
 * from the queue's virtual time (the priority now first in line) when that is later. So a
 * group's jobs keep their order, a group that was idle starts level with the job now first in
 * line (right after it: equal priorities start in the order they were added) instead of behind
 * every job waiting, and groups with jobs waiting take turns, one job each per priority step.
 * Answers one priority per group name given, in order.
 *
 * A retry (backoff) or a delayed job keeps its priority, so it starts ahead of its group's
 * later jobs. Tags only grow while jobs wait without a pause; past 2^21 they are clamped, which
 * makes the queue first come, first served until it next empties (2^21 jobs of one group in a
 * row would be 20 million shipments in purchase groups of 10).
 */
export async function fairPriorities(queue: Queue, groups: readonly string[]): Promise<number[]> {
  if (groups.length === 0) return [];
  const counts = new Map<string, number>();
  for (const group of groups) counts.set(group, (counts.get(group) ?? 0) + 1);
  const args = [...counts].flatMap(([group, count]) => [group, String(count)]);
  // The connection is ioredis' (QueueModule gives BullMQ a URL), which has EVAL.
  const client = (await queue.client) as unknown as { eval(script: string, keys: number, ...args: string[]): Promise<unknown> };
  const bases = (await client.eval(FAIR_TAGS_LUA, 2, queue.keys['prioritized'], queue.toKey('fair-tags'), ...args)) as number[];
  const next = new Map([...counts.keys()].map((group, i) => [group, Number(bases[i])]));
  return groups.map((group) => {
    const priority = (next.get(group) ?? 0) + 1;
    next.set(group, priority);
    return Math.min(priority, MAX_BULLMQ_PRIORITY);
  });
}
