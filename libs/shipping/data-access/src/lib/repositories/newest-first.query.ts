import type { FindOptionsOrder, FindOptionsWhere, Repository } from 'typeorm';
import type { Page, PageRequest } from '@shipbatch/shipping/application';

/** One page of a tenant's rows, newest first (ties by id), with the exact total: Shippo's list routes. */
export async function newestFirst<E extends { tenantId: string; createdAt: Date; id: string }>(
  repo: Repository<E>,
  tenantId: string,
  page: PageRequest,
): Promise<Page<E>> {
  const [items, total] = await repo.findAndCount({
    where: { tenantId } as FindOptionsWhere<E>,
    order: { createdAt: 'DESC', id: 'DESC' } as FindOptionsOrder<E>,
    skip: page.offset,
    take: page.limit,
  });
  return { items, total };
}
