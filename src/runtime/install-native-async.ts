/**
 * Side-effect module: installs the native-async loader for botbuilder (see src/internals/native-async.ts).
 * Imported first by the `handover` command, the benchmarks and the test run, so botbuilder is
 * loaded through it. In your own process: `node -r handover/install-native-async app.js`,
 * or call `installNativeAsync()` before anything imports botbuilder.
 *
 * @example
 * import './runtime/install-native-async.js'; // before any botbuilder import
 */
import { installNativeAsync } from '../internals/native-async.js';

installNativeAsync();
