// A real headless Chromium for viewer tests: the binary ships inside the @sparticuz/chromium npm package (unpacked
// to the temp dir on first use), driven by playwright-core. No download at test time; a missing browser fails loudly.
import chromiumBinary from "@sparticuz/chromium";
import { chromium, type Browser } from "playwright-core";

export async function launchBrowser(): Promise<Browser> {
  let executablePath: string;
  try {
    executablePath = await chromiumBinary.executablePath();
  } catch (err) {
    throw new Error(`headless Chromium is missing: @sparticuz/chromium could not unpack its binary (${String(err)}). Run \`npm install\`.`);
  }
  return chromium.launch({ executablePath, args: chromiumBinary.args, headless: true });
}
