import { test as base } from "./fixtures";
import { leafBesideStack } from "../tests/support/deployTopology";

export type Leaf = Awaited<ReturnType<typeof leafBesideStack>>;

/** The stack's hub with a leaf server and its own executor beside it (fake nixos-rebuild), one per worker. */
export const testWithLeaf = (leafId: string) =>
  base.extend<{}, { leaf: Leaf }>({
    leaf: [
      async ({ stack }, use) => {
        const leaf = await leafBesideStack(stack, leafId);
        await use(leaf);
        await leaf.stop();
      },
      { scope: "worker", timeout: 60_000 },
    ],
  });
