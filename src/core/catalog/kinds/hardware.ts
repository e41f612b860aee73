import { defineKind, type SummaryLine } from "../kind";
import { bool, oneOf, strings, text } from "../fields";
import type { Pattern } from "../fields";
import { SETTINGS_ONLY } from "../builds-on";

const DEVICE: Pattern = {
  source: "/dev/[^\\s]+|[A-Za-z0-9_][A-Za-z0-9_.:-]*(/[A-Za-z0-9_.:-]+)+",
  hint: "a device such as /dev/disk/by-label/nixos or /dev/disk/by-uuid/…, or a ZFS dataset such as rpool/root",
};

/** What the node has been given: the template's placeholder says so until the person replaces it. */
const described = (c: { rootDevice: string; bootDevice: string; bootLoader: string }): SummaryLine[] => [
  ...(c.rootDevice ? [{ name: "/", value: c.rootDevice }] : []),
  ...(c.bootDevice ? [{ name: "/boot", value: c.bootDevice }] : []),
  { name: "boot loader", value: c.bootLoader },
];

/**
 * The disks and boot loader of one machine: what `nixos-generate-config` writes into
 * hardware-configuration.nix (file systems, initrd modules) and configuration.nix (the boot
 * loader). NixOS refuses a host without a root file system and a boot loader, so every
 * instance needs this node, or an imported file that sets them.
 */
export const hardware = defineKind({
  kind: "hardware",
  label: "Hardware",
  group: "Hosts",
  role: "setting",
  help: "The machine's root file system, boot partition and boot loader (what nixos-generate-config finds). Leave the root device empty when an imported hardware-configuration.nix sets it.",
  buildsOn: SETTINGS_ONLY,
  fields: {
    placeholder: bool({
      label: "Placeholder",
      help: "These are example values (the NixOS manual's UEFI install: partitions labelled nixos and boot), not this machine's. Replace them with what nixos-generate-config shows on the machine, then turn this off.",
      default: false,
    }),
    rootDevice: text({ label: "Root device", help: "The device of the root file system (fileSystems.\"/\"); empty when an imported file sets it.", pattern: DEVICE, placeholder: "/dev/disk/by-label/nixos" }),
    rootFsType: oneOf(["ext4", "xfs", "btrfs", "f2fs", "bcachefs", "zfs"], { label: "Root file system type", help: "The root file system's type.", default: "ext4" }),
    bootDevice: text({ label: "Boot partition", help: "The EFI system partition mounted on /boot (vfat); empty when there is none or an imported file mounts it.", pattern: DEVICE, placeholder: "/dev/disk/by-label/boot" }),
    bootLoader: oneOf(["systemd-boot", "grub", "none"], {
      label: "Boot loader",
      help: "systemd-boot for UEFI machines (installs into the EFI partition on /boot); GRUB for BIOS machines (installs onto the GRUB device); none when an imported file sets boot.loader.",
      default: "systemd-boot",
    }),
    grubDevice: text({
      label: "GRUB device",
      help: "The disk GRUB is installed onto (boot.loader.grub.device), e.g. /dev/sda; nodev only writes the menu.",
      pattern: { source: "/dev/[^\\s]+|nodev", hint: "a disk such as /dev/sda or /dev/disk/by-id/…, or nodev" },
      placeholder: "/dev/sda",
    }),
    initrdModules: strings({
      label: "Initrd kernel modules",
      help: "Modules the initrd needs to reach the root disk (boot.initrd.availableKernelModules), as nixos-generate-config lists them.",
      itemPattern: { source: "[a-z0-9_-]{1,64}", hint: "a kernel module name such as nvme or virtio_pci" },
      placeholder: "nvme",
    }),
  },
  claims: (c) => [...(c.rootDevice ? ['fileSystems."/"'] : []), ...(c.bootDevice ? ['fileSystems."/boot"'] : [])],
  boots: (c) => ({ rootFileSystem: c.rootDevice !== "", bootLoader: c.bootLoader !== "none" }),
  summary: (c) => [...(c.placeholder ? [{ note: "placeholder: replace with this machine's" }] : []), ...described(c)],
  check: (c) =>
    c.bootLoader === "grub" && c.grubDevice === ""
      ? [{ field: "grubDevice", message: "GRUB needs the disk to install onto (NixOS asserts boot.loader.grub.devices is set); give the disk, e.g. /dev/sda, or nodev" }]
      : [],
  warnings: (c) =>
    c.placeholder
      ? [{ field: "placeholder", message: "this Hardware node holds placeholder values, not this machine's disks: replace the root device, boot partition and boot loader with what nixos-generate-config shows on the machine (or connect its hardware-configuration.nix instead), then turn off Placeholder" }]
      : [],
  emit: ({ config: c }) => ({
    options: {
      boot: {
        initrd: c.initrdModules.length > 0 ? { availableKernelModules: c.initrdModules } : undefined,
        loader:
          c.bootLoader === "systemd-boot"
            ? { efi: { canTouchEfiVariables: true }, "systemd-boot": { enable: true } }
            : c.bootLoader === "grub"
              ? { grub: { device: c.grubDevice, enable: true } }
              : undefined,
      },
      fileSystems: {
        "/": c.rootDevice ? { device: c.rootDevice, fsType: c.rootFsType } : undefined,
        "/boot": c.bootDevice ? { device: c.bootDevice, fsType: "vfat", options: ["fmask=0077", "dmask=0077"] } : undefined,
      },
    },
  }),
});
