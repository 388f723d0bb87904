#!/bin/bash
# A private single-node Slurm cluster for the tests: its own munge key and socket, config, state, spool, logs and
# free ports, all under DIR; nothing of the machine's own Slurm or munge is used or changed.
#   slurm-cluster.sh start DIR [CPUS]  prints the SLURM_CONF to export; waits until the node is idle. CPUS: what the
#                                      node offers (default: the machine's; more lets slow test jobs run side by side)
#   slurm-cluster.sh stop DIR     stops the daemons (by their pid files) and munged
# Needs root (slurmd runs jobs as their user) and Debian's slurm-wlm and munge (bootstrap.sh installs them).
set -euo pipefail
action=$1
dir=$(realpath -m "$2")
host=$(hostname -s)

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

stop() {
  # Jobs first: a job's processes outlive slurmd, so cancel what still runs and wait for it to end.
  if [[ -s $dir/slurmctld.pid ]] && kill -0 "$(cat "$dir/slurmctld.pid")" 2>/dev/null; then
    SLURM_CONF=$dir/slurm.conf scancel --full --user="$(id -un)" 2>/dev/null || true
    for _ in $(seq 100); do [[ -z $(SLURM_CONF=$dir/slurm.conf squeue -h 2>/dev/null) ]] && break; sleep 0.2; done
  fi
  for pid_file in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munge/munged.pid"; do
    if [[ -s $pid_file ]]; then
      pid=$(cat "$pid_file")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
      rm -f "$pid_file"
    fi
  done
}

if [[ $action == stop ]]; then stop; exit 0; fi

mkdir -p "$dir/state" "$dir/spool" "$dir/munge"
chmod 711 "$dir/munge" # munged wants its socket's folder searchable by all, and writable by none but its owner
dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$dir/munge/munge.key"
# As root (--force): the daemons run as root anyway, and some sandboxes do not let other users open /dev/null.
munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
  --pid-file="$dir/munge/munged.pid" --log-file="$dir/munge/munged.log" --seed-file="$dir/munge/munged.seed"
cpus=${3:-$(nproc)}
cat > "$dir/slurm.conf" <<CONF
ClusterName=zarraudio-test
SlurmctldHost=$host
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket,cred_expire=5
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
# Requeued jobs wait cred_expire (above) and then for the next scheduling pass: keep both short for the tests.
SchedulerParameters=bf_interval=1,sched_interval=2
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
InactiveLimit=0
KillWait=5
MinJobAge=300
# The node's CPUs as configured, even when that is more than the machine has.
SlurmdParameters=config_overrides
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName=$host CPUs=$cpus RealMemory=4000 State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$dir/slurm.conf
slurmctld
slurmd
for _ in $(seq 100); do
  if sinfo -h -o '%T' 2>/dev/null | grep -q idle; then echo "$SLURM_CONF"; exit 0; fi
  sleep 0.2
done
echo "the test cluster did not become idle; logs in $dir" >&2
tail -5 "$dir/slurmctld.log" "$dir/slurmd.log" >&2 || true
stop
exit 1
