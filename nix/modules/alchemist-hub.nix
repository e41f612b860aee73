# The hub NATS server of a CIM: JetStream with a domain (leaves reach its streams through it),
# WebSocket for Alchemist in the browser, a leafnode port for the leaves, and monitoring.
#
# Nobody connects without credentials: the server trusts one operator (NATS decentralized
# auth) and its accounts, whose JWTs are public and may live in the Nix store. Users are JWTs
# signed by the account key, made with `alchemist creds`; adding one needs no change here.
# Certificates and keys are runtime paths handed to the service with LoadCredential, so
# nothing secret is ever copied into the store.
{ config, lib, ... }:

let
  cfg = config.services.alchemist-hub;
  inherit (lib) concatStringsSep filter hasPrefix mkEnableOption mkIf mkOption optional optionalAttrs optionals types;
  tls = cfg.tls.certFile != null && cfg.tls.keyFile != null;
  # Where systemd puts the LoadCredential copies for the nats unit.
  credential = name: "/run/credentials/nats.service/${name}";
  tlsBlock = {
    cert_file = credential "hub.crt";
    key_file = credential "hub.key";
  } // optionalAttrs (cfg.tls.caFile != null) { ca_file = credential "ca.crt"; };
  runtimePath = p: p == null || (hasPrefix "/" p && !(hasPrefix "/nix/store" p));
  badPaths = filter (n: !(runtimePath cfg.tls.${n})) [ "certFile" "keyFile" "caFile" ];
  runtimePathOption = description: mkOption {
    type = types.nullOr types.str;
    default = null;
    example = "/var/lib/acme/hub.example.com/cert.pem";
    inherit description;
  };
in
{
  options.services.alchemist-hub = {
    enable = mkEnableOption "the CIM hub NATS server for Alchemist";

    serverName = mkOption {
      type = types.str;
      default = config.networking.hostName;
      description = "The NATS server name.";
    };

    port = mkOption {
      type = types.port;
      default = 4222;
      description = "NATS client port.";
    };

    monitorPort = mkOption {
      type = types.port;
      default = 8222;
      description = "HTTP monitoring port (/healthz, /varz, /jsz); it listens on 127.0.0.1 only and is never opened in the firewall.";
    };

    jetstreamDomain = mkOption {
      type = types.str;
      default = "hub";
      description = "JetStream domain; executors and browsers address the deploy streams through it.";
    };

    maxPayload = mkOption {
      # Bytes, a number: the settings reach nats-server as JSON, where "8MB" is a string it refuses.
      type = types.ints.positive;
      default = 8 * 1024 * 1024;
      description = "Largest message in bytes; a deploy command carries a whole flake.";
    };

    auth = {
      operatorJwt = mkOption {
        type = types.str;
        description = "The operator JWT (public). `alchemist creds --hub-nix` prints this whole `auth` block from the stored authority.";
      };
      systemAccount = mkOption {
        type = types.strMatching "A[A-Z2-7]{55}";
        description = "Public key of the system account.";
      };
      accounts = mkOption {
        type = types.attrsOf types.str;
        description = "Account public key → account JWT, for the memory resolver: the CIM account and the system account.";
      };
    };

    tls = {
      certFile = runtimePathOption "TLS certificate for the client, WebSocket and leafnode listeners: an absolute path read at run time (never copied into the Nix store).";
      keyFile = runtimePathOption "TLS key for the listeners: an absolute path read at run time (never copied into the Nix store).";
      caFile = runtimePathOption "CA bundle to verify client certificates with, when clients present them.";
    };

    allowPlaintext = mkOption {
      type = types.bool;
      default = false;
      description = "Allow listeners without TLS (only behind a TLS proxy or on a trusted network): without it, TLS is required.";
    };

    websocket = {
      enable = mkOption {
        type = types.bool;
        default = true;
        description = "The WebSocket listener for Alchemist in the browser.";
      };
      port = mkOption {
        type = types.port;
        default = 9222;
        description = "WebSocket port for Alchemist in the browser.";
      };
      allowedOrigins = mkOption {
        type = types.listOf types.str;
        default = [ ];
        example = [ "https://alchemist.example.com" ];
        description = "Origins of the pages allowed to open a WebSocket (the Alchemist web app's own); any other web page the user visits is refused.";
      };
    };

    leafnodes = {
      enable = mkOption {
        type = types.bool;
        default = true;
        description = "The leafnode listener the leaves' NATS servers connect to (with `leaf-<id>.creds`).";
      };
      port = mkOption {
        type = types.port;
        default = 7422;
        description = "Port the leaf nodes connect to.";
      };
    };

    cluster = {
      enable = mkEnableOption "clustering with other hubs: JetStream replicates the deploy streams and buckets across them (create them with `alchemist stores --replicas 3`)";
      name = mkOption {
        type = types.str;
        default = "alchemist";
        description = "The cluster's name, the same on every member.";
      };
      port = mkOption {
        type = types.port;
        default = 6222;
        description = "Port the other members' routes connect to.";
      };
      routes = mkOption {
        type = types.listOf (types.strMatching "nats-route://[^[:space:]/@]+:[0-9]+");
        default = [ ];
        example = [ "nats-route://hub-2.example.com:6222" "nats-route://hub-3.example.com:6222" ];
        description = "The other members (this one's own route may be listed too: it is ignored), so every member can be given the same list.";
      };
    };

    openFirewall = mkOption {
      type = types.bool;
      default = false;
      description = "Open the client port and those of the enabled WebSocket, leafnode and cluster listeners.";
    };
  };

  config = mkIf cfg.enable {
    assertions = [
      {
        assertion = (cfg.tls.certFile == null) == (cfg.tls.keyFile == null);
        message = "services.alchemist-hub.tls: certFile and keyFile go together";
      }
      {
        assertion = badPaths == [ ];
        message = "services.alchemist-hub.tls.${concatStringsSep ", " badPaths}: must be an absolute path outside the Nix store, read at run time (a secret in the store is readable by every user)";
      }
      {
        assertion = tls || cfg.allowPlaintext;
        message = "services.alchemist-hub: set tls.certFile and tls.keyFile, or allowPlaintext = true if a TLS proxy or a trusted network carries the traffic";
      }
      {
        assertion = !cfg.websocket.enable || cfg.websocket.allowedOrigins != [ ];
        message = "services.alchemist-hub.websocket.allowedOrigins: name the origin(s) the Alchemist web app is served from; without it any web page could open the hub's WebSocket";
      }
      {
        assertion = !cfg.cluster.enable || (tls && cfg.tls.caFile != null);
        message = "services.alchemist-hub.cluster: routes carry every account's messages and JetStream's replication, so members prove themselves to each other with certificates: set tls.certFile, tls.keyFile and tls.caFile (the CA that signed every member's certificate)";
      }
      {
        assertion = !cfg.cluster.enable || cfg.cluster.routes != [ ];
        message = "services.alchemist-hub.cluster.routes: list the other members (nats-route://host:port)";
      }
      {
        assertion = cfg.auth.accounts ? ${cfg.auth.systemAccount};
        message = "services.alchemist-hub.auth.accounts must hold the JWT of the system account ${cfg.auth.systemAccount}";
      }
    ];

    services.nats = {
      enable = true;
      serverName = cfg.serverName;
      port = cfg.port;
      jetstream = true;
      # `nats-server -t` at build time cannot read certificates that exist only at run time.
      validateConfig = mkIf tls false;
      settings = {
        http = "127.0.0.1:${toString cfg.monitorPort}";
        max_payload = cfg.maxPayload;
        # User JWTs carry their permission lists in the CONNECT line; the 4 KB default is too small.
        max_control_line = 64 * 1024;
        jetstream.domain = cfg.jetstreamDomain;
        operator = cfg.auth.operatorJwt;
        system_account = cfg.auth.systemAccount;
        resolver = "MEMORY";
        resolver_preload = cfg.auth.accounts;
      }
      // optionalAttrs tls { tls = tlsBlock; }
      // optionalAttrs cfg.leafnodes.enable {
        leafnodes = { port = cfg.leafnodes.port; } // optionalAttrs tls { tls = tlsBlock; };
      }
      // optionalAttrs cfg.cluster.enable {
        # Both ways: a member accepts a route only with a certificate of the CA, and shows its own.
        cluster = {
          inherit (cfg.cluster) name port routes;
          tls = tlsBlock // { verify = true; };
        };
      }
      // optionalAttrs cfg.websocket.enable {
        websocket = {
          port = cfg.websocket.port;
          allowed_origins = cfg.websocket.allowedOrigins;
        }
        // (if tls then { tls = tlsBlock; } else { no_tls = true; });
      };
    };

    systemd.services.nats.serviceConfig.LoadCredential = optionals tls (
      [ "hub.crt:${cfg.tls.certFile}" "hub.key:${cfg.tls.keyFile}" ]
      ++ optional (cfg.tls.caFile != null) "ca.crt:${cfg.tls.caFile}"
    );

    networking.firewall.allowedTCPPorts = optionals cfg.openFirewall (
      [ cfg.port ]
      ++ optional cfg.websocket.enable cfg.websocket.port
      ++ optional cfg.leafnodes.enable cfg.leafnodes.port
      ++ optional cfg.cluster.enable cfg.cluster.port
    );
  };
}
