import { config } from 'zod';

// The window's Content-Security-Policy has no 'unsafe-eval': zod's JIT probe (`new Function("")`) is refused, and the
// refusal is reported as a policy violation on every start. Shared schemas run without JIT here.
config({ jitless: true });
