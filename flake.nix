{
  description = "Alchemist: the design surface of a CIM (compose, compile to a Nix flake, deploy over NATS)";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" ];
      forAllSystems = f: nixpkgs.lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});
    in
    {
      packages = forAllSystems (pkgs:
        let
          alchemist = pkgs.callPackage ./nix/package.nix { };
        in
        {
          inherit alchemist;
          alchemist-web = alchemist.web;
          default = alchemist;
        });

      nixosModules = {
        executor = ./nix/modules/alchemist-executor.nix;
        hub = ./nix/modules/alchemist-hub.nix;
      };

      devShells = forAllSystems (pkgs: {
        default = pkgs.mkShell {
          packages = [ pkgs.nodejs_20 pkgs.nats-server pkgs.nix pkgs.chromium ];
          # The tests drive this Chromium; Playwright must never download a browser.
          PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = "1";
          CHROMIUM_PATH = "${pkgs.chromium}/bin/chromium";
        };
      });
    };
}
