// A real headless Chromium for viewer tests: the binary ships inside the @sparticuz/chromium npm package (unpacked
// to the temp dir on first use), driven by playwright-core. It links only glibc, NSS/NSPR and expat from the system
// (.ci/run installs libnss3 when missing). No download at test time; a missing browser fails loudly, never skips.
import chromiumBinary from "@sparticuz/chromium";
import { chromium, type Browser } from "playwright-core";

export async function launchBrowser(): Promise<Browser> {
  let executablePath: string;
  try {
    executablePath = await chromiumBinary.executablePath();
  } catch (err) {
    throw new Error(`headless Chromium is missing: @sparticuz/chromium could not unpack its binary (${String(err)}). Run \`npm install\`.`);
  }
  try {
    return await chromium.launch({ executablePath, args: chromiumBinary.args, headless: true });
  } catch (err) {
    throw new Error(`headless Chromium (${executablePath}) did not start: ${String(err)}\nIf a shared library is missing: apt-get install -y libnss3`);
  }
}
