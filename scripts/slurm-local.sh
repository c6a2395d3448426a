#!/usr/bin/env bash
# A single-node Slurm cluster on this machine, for the sweep tests and CI:
# munge with a key, slurmctld and slurmd from Debian's packages, one node
# (this host, its CPU count and memory) in one partition, no accounting.
# Run as root. Idempotent: a cluster already answering is left as it is.
# Prints "slurm: ready" and exits 0, or says what failed and exits 1.
set -euo pipefail

[ "$(id -u)" = 0 ] || { echo "slurm-local: must run as root" >&2; exit 1; }
for b in munged slurmctld slurmd sinfo; do
  command -v "$b" >/dev/null || { echo "slurm-local: $b is missing (apt-get install -y munge slurmctld slurmd slurm-client)" >&2; exit 1; }
done

if sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
  echo "slurm: ready (already running)"
  exit 0
fi

host=$(hostname -s)
cpus=$(nproc)
mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 512 ))

# munge: a key and a running daemon
mkdir -p /etc/munge /var/lib/munge /var/log/munge /run/munge
if [ ! -s /etc/munge/munge.key ]; then
  dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
fi
chown -R munge:munge /etc/munge /var/lib/munge /var/log/munge /run/munge
chmod 0700 /etc/munge /var/lib/munge /var/log/munge
chmod 0400 /etc/munge/munge.key
chmod 0755 /run/munge
if ! munge -n </dev/null >/dev/null 2>&1; then
  runuser -u munge -- munged --force
  for _ in $(seq 50); do munge -n </dev/null >/dev/null 2>&1 && break; sleep 0.1; done
fi

mkdir -p /var/spool/slurmctld /var/spool/slurmd /var/log/slurm /run/slurm
chown slurm:slurm /var/spool/slurmctld /var/log/slurm 2>/dev/null || true
cat >/etc/slurm/slurm.conf <<CONF
ClusterName=local
SlurmctldHost=${host}
SlurmUser=root
AuthType=auth/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurm/slurmctld.pid
SlurmdPidFile=/run/slurm/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=300
KillWait=5
Waittime=0
NodeName=${host} CPUs=${cpus} RealMemory=${mem} State=UNKNOWN
PartitionName=debug Nodes=${host} Default=YES MaxTime=INFINITE State=UP
CONF
# no cgroup.conf: no cgroup plugin is configured (22.05 has no "disabled" value)
rm -f /etc/slurm/cgroup.conf

pgrep -x slurmctld >/dev/null || slurmctld
pgrep -x slurmd >/dev/null || slurmd
for _ in $(seq 100); do
  if sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
    echo "slurm: ready (${host}, ${cpus} CPUs)"
    exit 0
  fi
  sleep 0.2
done
echo "slurm-local: the node did not come up; sinfo says: $(sinfo -h -o '%T %E' 2>&1)" >&2
tail -n 5 /var/log/slurm/slurmctld.log /var/log/slurm/slurmd.log >&2 2>/dev/null || true
exit 1
