// The saved scheme's model: what a setting written by any version (or by hand) reads back as.
import { emptyScheme, schemeFromSetting } from "../../taskpane/saved-scheme";

describe("schemeFromSetting", () => {
  it("reads a damaged or foreign setting defensively", () => {
    expect(schemeFromSetting("nonsense")).toBeNull();
    expect(schemeFromSetting({ version: 2 })).toBeNull();
    const partial = schemeFromSetting({
      version: 1,
      dataAddress: "Data!A1:B3",
      variables: ["a", 3],
      options: { missing: "sometimes" },
    });
    expect(partial).toEqual({ ...emptyScheme(), dataAddress: "Data!A1:B3", variables: ["a"] });
  });
});
