# The alchemist command (CLI, local stack and leaf executor) with the built web app, which
# `alchemist up` serves. npm dependencies come from package-lock.json through importNpmLock,
# so no separate dependency hash has to be kept in step with the lock file.
{ lib, buildNpmPackage, importNpmLock, nodejs_20, nats-server, makeWrapper, runCommand }:

let
  src = lib.fileset.toSource {
    root = ../.;
    fileset = lib.fileset.unions [
      ../package.json
      ../package-lock.json
      ../index.html
      ../vite.config.ts
      ../tsconfig.json
      ../bin
      ../public
      ../scripts
      ../src
      # The web app bundles the templates (src/app/templates imports them).
      ../templates
    ];
  };

  alchemist = buildNpmPackage {
    pname = "alchemist";
    version = (lib.importJSON ../package.json).version;
    inherit src;
    nodejs = nodejs_20;
    npmDeps = importNpmLock { npmRoot = src; };
    npmConfigHook = importNpmLock.npmConfigHook;
    nativeBuildInputs = [ makeWrapper ];
    npmBuildScript = "build";
    dontNpmPrune = false;

    installPhase = ''
      runHook preInstall
      mkdir -p $out/lib/alchemist $out/bin
      cp -r bin dist package.json node_modules $out/lib/alchemist/
      makeWrapper ${nodejs_20}/bin/node $out/bin/alchemist \
        --add-flags $out/lib/alchemist/bin/alchemist.mjs \
        --prefix PATH : ${lib.makeBinPath [ nats-server ]}
      runHook postInstall
    '';

    passthru.web = runCommand "alchemist-web-${alchemist.version}" { } ''
      cp -r ${alchemist}/lib/alchemist/dist/web $out
    '';

    meta = {
      description = "Design surface of a CIM: compose NixOS/NATS domain nodes, compile a flake, deploy over NATS";
      mainProgram = "alchemist";
      license = lib.licenses.mit;
      platforms = lib.platforms.linux;
    };
  };
in
alchemist
