import { gopFor, nominalRate } from "./gop";
import { FRAGMENT_SECONDS } from "./packaging";

describe("nominalRate", () => {
  it.each([
    [24_000, 1001, 24],
    [24, 1, 24],
    [25, 1, 25],
    [30_000, 1001, 30],
    [60_000, 2002, 30],
    [30, 1, 30],
    [50, 1, 50],
    [60_000, 1001, 60],
    [60, 1, 60],
    [120_000, 1001, 120],
  ])("reads %i/%i fps as %i", (numerator, denominator, nominal) => {
    expect(nominalRate({ numerator, denominator })).toBe(nominal);
  });

  it.each([
    [1_000_000, 33_367],
    [2997, 100],
    [25, 2],
    [0, 1],
    [30, 0],
    [-30, 1],
    [29.97, 1],
  ])("knows no nominal rate for %p/%p fps", (numerator, denominator) => {
    expect(nominalRate({ numerator, denominator })).toBeUndefined();
  });
});

describe("gopFor", () => {
  it("sizes the GOP to one fragment of frames at the nominal rate", () => {
    expect(gopFor({ numerator: 30_000, denominator: 1001 })).toEqual({
      units: "FRAMES",
      frames: FRAGMENT_SECONDS * 30,
    });
    expect(gopFor({ numerator: 25, denominator: 1 })).toEqual({
      units: "FRAMES",
      frames: FRAGMENT_SECONDS * 25,
    });
  });

  it("leaves the GOP to MediaConvert when the rate is unknown or not a broadcast rate", () => {
    expect(gopFor(undefined)).toEqual({ units: "AUTO" });
    expect(gopFor({ numerator: 1_000_000, denominator: 33_367 })).toEqual({ units: "AUTO" });
  });
});
