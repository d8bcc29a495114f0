/** The companion API on a real loopback socket, in this process, with the test campaign. */
import { startServer, type AdvancedStartOptions, type RunningServerWithContext } from '../../src-server/server';
import { FAST_SCRYPT, testCampaign } from './server-helpers';

/** Open until 2099 unless `options` say otherwise; cheap password hashing. */
export function startTestServer(dataDir: string, options: Partial<AdvancedStartOptions> = {}): Promise<RunningServerWithContext> {
  return startServer({
    dataDir,
    campaignFiles: [],
    campaignValues: [testCampaign({ closesOn: '2099-01-01' })],
    demo: false,
    host: '127.0.0.1',
    port: 0,
    scryptCost: FAST_SCRYPT,
    ...options,
  });
}
