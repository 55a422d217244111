// Optional requirement sets of the worksheet functions, checked at run time where a fallback exists
// (Office.context.requirements.isSetSupported). manifest.xml declares only the sets nothing works without;
// tests/manifest-requirements.test.ts derives both lists from the calls the code makes.

/** True when the host supports `set` at `version`; false without Office (a page or test with no host). */
export function hostSupports(set: string, version: string): boolean {
  const office = (globalThis as { Office?: typeof Office }).Office;
  return office?.context?.requirements?.isSetSupported(set, version) === true;
}
