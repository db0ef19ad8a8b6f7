// Campaigns: the voice platform's batches; each opens its page with its progress.

import { MirrorListPage } from '../components/MirrorListPage';

export function CampaignsPage() {
  return <MirrorListPage title="Campaigns" path="/api/campaigns" what="campaigns" detailPage="campaigns" withAgent
                         testId="campaigns" intro="Batches of calls an agent makes. Open one for its progress and calls." />;
}
