import type { LabelView } from '@shipbatch/shipping/application';
import { pageCount } from '@shipbatch/shipping/domain';
import { presentLabel } from './label.presenter';

export interface LabelListLinks {
  /** e.g. https://host/v2/labels */
  base: string;
  /** The query's filters and sort, as the client gave them (repeated in every link). */
  params: Array<[string, string]>;
  page: number;
  pageSize: number;
  total: number;
}

/** `{labels, total, page, pages, links}` as the seed shows it; links are `{href}` or `{}`. */
export function presentLabelList(labels: LabelView[], o: LabelListLinks) {
  const pages = pageCount(o.total, o.pageSize);
  const href = (page: number) => {
    const q = new URLSearchParams(o.params.filter(([k]) => k !== 'sort_dir' && k !== 'sort_by'));
    q.set('page', String(page));
    q.set('page_size', String(o.pageSize));
    for (const [k, v] of o.params) if (k === 'sort_dir' || k === 'sort_by') q.set(k, v);
    return { href: `${o.base}?${q}` };
  };
  const last = Math.max(pages, 1);
  return {
    labels: labels.map(presentLabel),
    total: o.total,
    page: o.page,
    pages,
    links: {
      first: href(1),
      last: href(last),
      prev: o.page > 1 ? href(Math.min(o.page - 1, last)) : {},
      next: o.page < pages ? href(o.page + 1) : {},
    },
  };
}
