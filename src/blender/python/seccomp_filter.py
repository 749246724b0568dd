"""Writes seig's seccomp filter (a compiled BPF program for bwrap --seccomp) to stdout.

Run with a system Python that has libseccomp's bindings (Debian: python3-seccomp). The
filter allows by default and refuses what Blender never needs and what would let code
widen its confinement or attack the kernel: mounts, namespaces, ptrace and cross-process
memory access, keyrings, BPF, perf, module loading, io_uring, userfaultfd and so on.
"""
import errno
import sys

import seccomp

DENIED = [
    "mount", "umount2", "pivot_root", "chroot", "move_mount", "open_tree", "fsopen", "fsconfig", "fsmount",
    "fspick", "mount_setattr", "unshare", "setns", "ptrace", "process_vm_readv", "process_vm_writev",
    "pidfd_getfd", "kcmp", "keyctl", "add_key", "request_key", "bpf", "perf_event_open", "userfaultfd",
    "init_module", "finit_module", "delete_module", "kexec_load", "kexec_file_load", "reboot", "swapon",
    "swapoff", "acct", "syslog", "quotactl", "quotactl_fd", "name_to_handle_at", "open_by_handle_at",
    "lookup_dcookie", "uselib", "ustat", "sysfs", "vhangup", "iopl", "ioperm", "modify_ldt", "settimeofday",
    "clock_settime", "clock_adjtime", "adjtimex", "sethostname", "setdomainname", "io_uring_setup",
    "io_uring_enter", "io_uring_register", "fanotify_init",
]
# clone with any of these flags would create namespaces (bwrap's --disable-userns covers users too).
CLONE_NAMESPACE_FLAGS = [0x00020000, 0x02000000, 0x04000000, 0x08000000, 0x10000000, 0x20000000, 0x40000000, 0x00000080]
ALLOWED_SOCKET_FAMILIES = {1, 2, 10}  # AF_UNIX, AF_INET, AF_INET6: all of them end in an empty network namespace
TIOCSTI = 0x5412


def build():
    f = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
    for name in DENIED:
        try:
            f.add_rule(seccomp.ERRNO(errno.EPERM), name)
        except (RuntimeError, ValueError):
            pass  # a syscall this kernel/architecture does not have
    for flag in CLONE_NAMESPACE_FLAGS:
        f.add_rule(seccomp.ERRNO(errno.EPERM), "clone", seccomp.Arg(0, seccomp.MASKED_EQ, flag, flag))
    # clone3 passes its flags in memory a filter cannot read; ENOSYS makes libc fall back to clone.
    f.add_rule(seccomp.ERRNO(errno.ENOSYS), "clone3")
    for family in range(64):
        if family not in ALLOWED_SOCKET_FAMILIES:
            f.add_rule(seccomp.ERRNO(errno.EAFNOSUPPORT), "socket", seccomp.Arg(0, seccomp.EQ, family))
    f.add_rule(seccomp.ERRNO(errno.EPERM), "ioctl", seccomp.Arg(1, seccomp.MASKED_EQ, 0xFFFFFFFF, TIOCSTI))
    return f


if __name__ == "__main__":
    build().export_bpf(sys.stdout.buffer)
