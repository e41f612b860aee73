# The hub NATS server of a CIM: JetStream with a domain (leaves reach its streams through it),
# WebSocket for Alchemist in the browser, a leafnode port for the leaves, and monitoring.
{ config, lib, ... }:

let
  cfg = config.services.alchemist-hub;
  inherit (lib) mkEnableOption mkIf mkOption optional optionalAttrs types;
  tls = cfg.websocket.certFile != null;
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
      description = "HTTP monitoring port (/healthz, /varz, /jsz).";
    };

    leafnodePort = mkOption {
      type = types.port;
      default = 7422;
      description = "Port the leaf nodes connect to.";
    };

    jetstreamDomain = mkOption {
      type = types.str;
      default = "hub";
      description = "JetStream domain; executors and browsers address the deploy streams through it.";
    };

    maxPayload = mkOption {
      type = types.str;
      default = "8MB";
      description = "Largest message; a deploy command carries a whole flake.";
    };

    websocket = {
      port = mkOption {
        type = types.port;
        default = 9222;
        description = "WebSocket port for Alchemist in the browser.";
      };
      certFile = mkOption {
        type = types.nullOr types.path;
        default = null;
        description = "TLS certificate for wss://; without one the WebSocket listener is plain ws:// (only behind a TLS proxy or on a trusted network).";
      };
      keyFile = mkOption {
        type = types.nullOr types.path;
        default = null;
        description = "TLS key for wss://.";
      };
    };

    openFirewall = mkOption {
      type = types.bool;
      default = false;
      description = "Open the client, WebSocket and leafnode ports.";
    };
  };

  config = mkIf cfg.enable {
    assertions = [
      {
        assertion = (cfg.websocket.certFile == null) == (cfg.websocket.keyFile == null);
        message = "services.alchemist-hub.websocket: certFile and keyFile go together";
      }
    ];

    services.nats = {
      enable = true;
      serverName = cfg.serverName;
      port = cfg.port;
      jetstream = true;
      settings = {
        http_port = cfg.monitorPort;
        max_payload = cfg.maxPayload;
        jetstream.domain = cfg.jetstreamDomain;
        leafnodes.port = cfg.leafnodePort;
        websocket = {
          port = cfg.websocket.port;
        }
        // (if tls then { tls = { cert_file = cfg.websocket.certFile; key_file = cfg.websocket.keyFile; }; } else { no_tls = true; });
      };
    };

    networking.firewall.allowedTCPPorts = optional cfg.openFirewall cfg.port
      ++ optional cfg.openFirewall cfg.websocket.port
      ++ optional cfg.openFirewall cfg.leafnodePort;
  };
}
