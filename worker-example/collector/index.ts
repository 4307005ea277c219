// The collector Worker: `createCollector` from @fallom/trace/collector, seeded with the demo's configs and prompts.
// Secrets: COLLECTOR_API_KEY (what the SDK sends as Bearer), optional COLLECTOR_ADMIN_KEY and VIEWER_PASSWORD.
import { createCollector } from "@fallom/trace/collector";
import seed from "./seed.json";

export default createCollector({ seed });
