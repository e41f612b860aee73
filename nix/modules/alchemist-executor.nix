# The Alchemist leaf-side executor as a NixOS service: it takes deploy commands for this leaf
# from the hub's JetStream and runs them with nixos-rebuild.
#
# It runs as root by default because activating a NixOS generation (switch, test, boot) needs
# root: it writes /nix/var/nix/profiles, /etc and the boot loader. The hardening that does not
# stop an activation is always on. A leaf that only builds can run it as an unprivileged user
# (`user`), which adds ProtectSystem=strict.
{ config, lib, pkgs, ... }:

let
  cfg = config.services.alchemist-executor;
  inherit (lib) concatStringsSep hasPrefix mkEnableOption mkIf mkOption optionalAttrs types;
  privileged = cfg.user == "root";
  credentialsOk = cfg.credentialsFile == null || (hasPrefix "/" cfg.credentialsFile && !(hasPrefix "/nix/store" cfg.credentialsFile));
  environment = {
    NATS_URL = cfg.natsUrl;
    ALCHEMIST_LEAF_ID = cfg.leafId;
    ALCHEMIST_JS_DOMAIN = cfg.jetstreamDomain;
    ALCHEMIST_WORK_DIR = cfg.workDir;
    ALCHEMIST_INSTANCES = if cfg.instances == [ ] then "*" else concatStringsSep "," cfg.instances;
    ALCHEMIST_TRUSTED_KEYS = concatStringsSep "," cfg.trustedKeys;
    ALCHEMIST_KEEP_DEPLOYMENTS = toString cfg.keepDeployments;
  }
  // cfg.extraEnvironment;
in
{
  options.services.alchemist-executor = {
    enable = mkEnableOption "the Alchemist leaf-side executor";

    package = mkOption {
      type = types.package;
      description = "The package providing bin/alchemist (the flake's packages.<system>.alchemist).";
    };

    natsUrl = mkOption {
      type = types.str;
      default = "nats://127.0.0.1:4222";
      example = "tls://leaf.example.com:4222";
      description = "NATS servers, comma-separated: normally the NATS leaf server on this machine.";
    };

    leafId = mkOption {
      type = types.strMatching "[A-Za-z0-9_-]{1,128}";
      example = "leaf-01";
      description = "This leaf's id: commands arrive on cim.deploy.commands.<leafId>.";
    };

    credentialsFile = mkOption {
      # A string, not a path: a path literal would be copied into the world-readable store.
      type = types.nullOr types.str;
      default = null;
      example = "/run/secrets/executor-leaf-01.creds";
      description = "A NATS credentials file (JWT and nkey, from `alchemist creds --leaf-id`): an absolute path read at run time and passed to the service with LoadCredential, so it never enters the Nix store.";
    };

    trustedKeys = mkOption {
      type = types.listOf (types.strMatching "U[A-Z2-7]{55}( .*)?");
      default = [ ];
      example = [ "UDXU4RCSJNZOIQHZNWXHXORDPRTGNJAHAHFRGZNEEJCPQTT2M7NLCNF4 alice" ];
      description = "Public keys (with an optional name after a space) whose signed commands this executor runs; every other command is rejected. `alchemist creds --person NAME` prints a person's key.";
    };

    keepDeployments = mkOption {
      type = types.ints.positive;
      default = 20;
      description = "How many deployment folders to keep in workDir; older ones are removed.";
    };

    jetstreamDomain = mkOption {
      type = types.str;
      default = "hub";
      description = "The JetStream domain of the hub, where the deploy streams and buckets live.";
    };

    instances = mkOption {
      type = types.listOf (types.strMatching "[a-z][a-z0-9-]*");
      default = [ ];
      example = [ "cim-prod-001" ];
      description = "The CIM instances this leaf may deploy; empty means any.";
    };

    workDir = mkOption {
      type = types.str;
      default = "/var/lib/alchemist-executor";
      description = "Where each deployment's files are written.";
    };

    user = mkOption {
      type = types.str;
      default = "root";
      description = "The user the executor runs as. Anything but root can build but not activate.";
    };

    extraEnvironment = mkOption {
      type = types.attrsOf types.str;
      default = { };
      example = { ALCHEMIST_STEP_TIMEOUTS = "build=7200"; };
      description = "More environment variables for the executor (see docs/executor.md).";
    };
  };

  config = mkIf cfg.enable {
    assertions = [
      {
        assertion = credentialsOk;
        message = "services.alchemist-executor.credentialsFile must be an absolute path outside the Nix store, read at run time";
      }
      {
        assertion = cfg.trustedKeys != [ ];
        message = "services.alchemist-executor.trustedKeys is empty: the executor runs only commands signed by a trusted key, so it would run nothing";
      }
    ];

    users.users = optionalAttrs (!privileged) {
      ${cfg.user} = {
        isSystemUser = true;
        group = cfg.user;
        home = cfg.workDir;
      };
    };
    users.groups = optionalAttrs (!privileged) { ${cfg.user} = { }; };

    systemd.services.alchemist-executor = {
      description = "Alchemist leaf-side executor (leaf ${cfg.leafId})";
      wantedBy = [ "multi-user.target" ];
      after = [ "network-online.target" "nats.service" ] ++ lib.optional privileged "alchemist-rollback.service";
      wants = [ "network-online.target" ];
      path = [ config.system.build.nixos-rebuild config.nix.package config.systemd.package ];
      # The executor runs the switch itself (nixos-rebuild is in its control group): a switch
      # that stopped or restarted it would kill the deployment half-way, before it could confirm
      # or roll back. switch-to-configuration leaves a changed unit with X-RestartIfChanged=false
      # running ("NOT restarting the following changed units"), and one the new configuration no
      # longer has running when it says X-StopOnRemoval=false. A new executor version starts at
      # the next restart of the unit or boot.
      restartIfChanged = false;
      unitConfig.X-StopOnRemoval = false;
      environment = environment // optionalAttrs (cfg.credentialsFile != null) { NATS_CREDS = "%d/nats.creds"; };
      serviceConfig = {
        ExecStart = "${cfg.package}/bin/alchemist executor";
        User = cfg.user;
        StateDirectory = "alchemist-executor";
        WorkingDirectory = cfg.workDir;
        LoadCredential = lib.optional (cfg.credentialsFile != null) "nats.creds:${cfg.credentialsFile}";
        Restart = "on-failure";
        RestartSec = 5;
        # A stopped executor takes every nix and nixos-rebuild process it started with it; the
        # next start reports the interrupted deployment failed.
        KillMode = "control-group";
        NoNewPrivileges = true;
        PrivateTmp = true;
        ProtectHome = "read-only";
        ProtectKernelLogs = true;
        ProtectClock = true;
        RestrictRealtime = true;
        LockPersonality = true;
      }
      // optionalAttrs (!privileged) {
        ProtectSystem = "strict";
        ReadWritePaths = [ cfg.workDir ];
      };
    };

    # The boot check: an activation that awaited confirmation when the machine went down was
    # watched by nobody since, so before the executor starts — and even when it cannot (no
    # network, bad credentials) — every activation recorded in an earlier boot and not confirmed
    # is rolled back to the system recorded before it (docs/reliability.md). It touches nothing
    # recorded in this boot, so a switch that adds the unit (and starts it) mid-deployment is
    # harmless. Only root can activate, so only a root executor has anything to roll back.
    systemd.services.alchemist-rollback = mkIf privileged {
      description = "Alchemist: roll back activations a reboot left unconfirmed (leaf ${cfg.leafId})";
      wantedBy = [ "multi-user.target" ];
      before = [ "alchemist-executor.service" ];
      path = [ config.nix.package ];
      restartIfChanged = false;
      inherit environment;
      serviceConfig = {
        Type = "oneshot";
        ExecStart = "${cfg.package}/bin/alchemist executor --recover-only";
        StateDirectory = "alchemist-executor";
        WorkingDirectory = cfg.workDir;
      };
    };
  };
}
