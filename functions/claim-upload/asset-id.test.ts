import { isAssetId } from "../shared/contract/asset-id";
import { assetIdFor, claimKey, revisionFor, titleFor } from "./asset-id";

const BUCKET = "amzn-s3-demo-bucket1";
/** What MediaConvert UserMetadata, S3 prefixes and MediaPackage ids accept without escaping. */
const SAFE_ID = /^[A-Za-z0-9_-]+$/;

describe("assetIdFor", () => {
  it("turns a file name with spaces and brackets into a readable slug with a hash suffix", () => {
    // Act
    const assetId = assetIdFor(BUCKET, "lecture 01 (final).mov");

    // Assess
    expect(assetId).toBe("lecture-01-final-3d73618c");
  });

  it("keeps only letters and digits of 'c++ talk.mp4'", () => {
    expect(assetIdFor(BUCKET, "c++ talk.mp4")).toBe("c-talk-22bcbf07");
  });

  it("strips diacritics and drops emoji from unicode keys", () => {
    expect(assetIdFor(BUCKET, "ünïcode/vidéo 😀.mp4")).toBe("unicode-video-f1b7be5d");
  });

  it("falls back to a readable word when nothing in the key survives slugging", () => {
    // Act
    const emoji = assetIdFor(BUCKET, "😀.mp4");
    const cjk = assetIdFor(BUCKET, "動画.mp4");

    // Assess
    expect(emoji).toBe("asset-b5ee1988");
    expect(cjk).toBe("asset-748a2b7b");
  });

  it("keeps the file name and as many enclosing folders as fit in deep folders", () => {
    // Act
    const assetId = assetIdFor(BUCKET, "a/b/c/d/e/f/g/h/course 2024/spring/week 3/lecture.mp4");

    // Assess
    expect(assetId).toBe("b-c-d-e-f-g-h-course-2024-spring-week-3-lecture-a0116e44");
    expect(assetId.length).toBeLessThanOrEqual(48 + 9);
  });

  it("cuts a long file name at a word boundary", () => {
    // Act
    const assetId = assetIdFor(
      BUCKET,
      "courses/2024/spring/cs101/lecture-01-introduction-to-distributed-systems-and-consensus.mp4",
    );

    // Assess
    expect(assetId).toBe("lecture-01-introduction-to-distributed-systems-8c08e3f0");
  });

  it("gives different ids to keys that slugify identically", () => {
    // Act
    const ids = ["a b.mp4", "a-b.mp4", "A_B.mp4", "a b.mov"].map((key) => assetIdFor(BUCKET, key));

    // Assess
    expect(ids.map((id) => id.slice(0, -9))).toEqual(["a-b", "a-b", "a-b", "a-b"]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("gives the same key in two buckets two ids", () => {
    expect(assetIdFor("other-bucket", "lecture 01 (final).mov")).toBe("lecture-01-final-61a6fc05");
  });

  it("only ever produces URL- and MediaPackage-safe characters", () => {
    // Prepare
    const keys = ["x/y z/ÅÄÖ+%20&=?#.mp4", "..mp4", ".mov", "///", "a\tb\nc.mp4", "ﬁle ①.mkv"];

    // Act
    const ids = keys.map((key) => assetIdFor(BUCKET, key));

    // Assess
    for (const id of ids) expect(id).toMatch(SAFE_ID);
  });
});

describe("revisionFor", () => {
  it("is 12 hex chars stable for a version id", () => {
    expect(revisionFor("IYV3p45BT0ac8hjHg1houSdS1a.Mro8e")).toBe("e017fc89d028");
  });
});

describe("titleFor", () => {
  it("is the file name without folders", () => {
    expect(titleFor("ünïcode/deep/folders/vidéo 😀.mp4")).toBe("vidéo 😀.mp4");
    expect(titleFor("c++ talk.mp4")).toBe("c++ talk.mp4");
  });
});

describe("claimKey", () => {
  it("is claim# and the sha256 of bucket, key and version", () => {
    expect(claimKey(BUCKET, "example-key", "IYV3p45BT0ac8hjHg1houSdS1a.Mro8e")).toBe(
      "claim#3dd44241d37bb98715bc817d2aa0f0291efe07edb27d1180e9bfb1b1d522dfa1",
    );
  });

  it("differs per version of the same key", () => {
    expect(claimKey(BUCKET, "k.mp4", "v1")).not.toBe(claimKey(BUCKET, "k.mp4", "v2"));
  });
});

describe("isAssetId", () => {
  it("accepts every id assetIdFor derives and refuses paths, dots, spaces and empty or over-long strings", () => {
    // Prepare
    const derived = [
      "lecture 01 (final).mov",
      "動画.mp4",
      "a/b/c/d/e/f/g/h/course 2024/spring/week 3/lecture.mp4",
    ].map((key) => assetIdFor(BUCKET, key));

    // Act
    const accepted = derived.map(isAssetId);
    const refused = ["", "../etc", "a.b", "a b", "a%2Fb", "x".repeat(129), 42].map(isAssetId);

    // Assess
    expect(accepted).toEqual([true, true, true]);
    expect(refused).toEqual([false, false, false, false, false, false, false]);
  });
});
