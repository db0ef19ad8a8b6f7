// Agents: the voice platform's agents; each opens its page.

import { MirrorListPage } from '../components/MirrorListPage';

export function AgentsPage() {
  return <MirrorListPage title="Agents" path="/api/agents" what="agents" detailPage="agents" withAgent={false}
                         testId="agents" intro="The voice platform's agents. Open one for its numbers, campaigns, calls and figures." />;
}
