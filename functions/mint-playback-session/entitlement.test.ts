import { claimValues, isEntitled } from "./entitlement";

describe("claimValues", () => {
  it("reads API Gateway's bracketed form, arrays, JSON array strings and single values alike", () => {
    expect(claimValues("[premium staff]")).toEqual(["premium", "staff"]);
    expect(claimValues("[premium]")).toEqual(["premium"]);
    expect(claimValues("[]")).toEqual([]);
    expect(claimValues(["premium", "staff"])).toEqual(["premium", "staff"]);
    expect(claimValues('["premium","staff"]')).toEqual(["premium", "staff"]);
    expect(claimValues("premium")).toEqual(["premium"]);
    expect(claimValues(undefined)).toEqual([]);
  });
});

describe("isEntitled", () => {
  it("lets any signed-in viewer watch a title without an entitlement", () => {
    expect(isEntitled(undefined, { sub: "v" }, "cognito:groups")).toBe(true);
  });

  it("requires the exact value in the configured claim when the title has one", () => {
    expect(isEntitled("premium", { sub: "v", "cognito:groups": "[premium staff]" }, "cognito:groups")).toBe(
      true,
    );
    expect(isEntitled("premium", { sub: "v", "cognito:groups": "[Premium]" }, "cognito:groups")).toBe(false);
    expect(isEntitled("premium", { sub: "v", "cognito:groups": "[premium-plus]" }, "cognito:groups")).toBe(
      false,
    );
    expect(isEntitled("premium", { sub: "v", plan: "premium" }, "plan")).toBe(true);
    expect(isEntitled("premium", { sub: "v", plan: "premium" }, "cognito:groups")).toBe(false);
  });
});
