// A table of mirror rows (agents, phone numbers, campaigns): name (a link to its page when it has
// one), upstream id, status, its agent (linked), creation time.

import type { MirrorItem } from '../api/contract';
import { formatDateTime } from '../lib/format';
import { href, type PageName } from '../lib/route';

export function MirrorTable({ items, detailPage, agentRows, caption, testId }: {
  items: MirrorItem[];
  /// The page of one row, when rows have one.
  detailPage?: PageName;
  /// Agent upstream id → its mirror row id, for links; omit to hide the Agent column.
  agentRows?: Map<string, number>;
  caption: string;
  testId: string;
}) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid={testId}>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Upstream id</th>
            <th scope="col">Status</th>
            {agentRows ? <th scope="col">Agent</th> : null}
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => {
            const name = item.name || item.upstream_id;
            const agentRow = item.agent_id ? agentRows?.get(item.agent_id) : undefined;
            return (
              <tr key={item.id} data-testid={`${testId}-row`}>
                <td data-label="Name">{detailPage ? <a href={href(detailPage, item.id)}>{name}</a> : name}</td>
                <td data-label="Upstream id" className="mono small">{item.upstream_id}</td>
                <td data-label="Status">{item.status || '—'}</td>
                {agentRows ? (
                  <td data-label="Agent">
                    {agentRow !== undefined ? <a href={href('agents', agentRow)}>{item.agent_id}</a> : item.agent_id ?? '—'}
                  </td>
                ) : null}
                <td data-label="Created">{formatDateTime(item.created_at)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/// Agent upstream id → mirror row id.
export function agentRowsOf(agents: MirrorItem[] | undefined): Map<string, number> {
  return new Map((agents ?? []).map((a) => [a.upstream_id, a.id]));
}
