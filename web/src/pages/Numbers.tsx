// Phone numbers: the voice platform's numbers and the agent each one is attached to.

import { MirrorListPage } from '../components/MirrorListPage';

export function NumbersPage() {
  return <MirrorListPage title="Phone numbers" path="/api/phone-numbers" what="phone numbers" withAgent
                         testId="numbers" intro="The voice platform's phone numbers and the agent that answers each." />;
}
