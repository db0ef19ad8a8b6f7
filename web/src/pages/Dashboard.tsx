// Dashboard: the same counts as Settings, the CRM, and Recent Threads.

import { useCallback, useState } from 'react';
import { Counts } from '../components/Counts';
import { CrmCard } from '../components/CrmCard';
import { RecentThreads } from '../components/RecentThreads';
import { SyncStatus } from '../components/SyncStatus';

export function DashboardPage() {
  const [leadsSignal, setLeadsSignal] = useState(0);
  const reloadLeads = useCallback(() => setLeadsSignal((n) => n + 1), []);
  return (
    <div className="page">
      <h1>Dashboard</h1>
      <div className="grid">
        <section className="card" aria-labelledby="voice-counts-title">
          <h2 id="voice-counts-title">Voice platform</h2>
          <Counts />
          <SyncStatus />
        </section>
        <CrmCard onLeadsMayHaveChanged={reloadLeads} />
      </div>
      <RecentThreads reloadSignal={leadsSignal} />
    </div>
  );
}
