#!/bin/bash
# Scale-out on a real Slurm cluster (DESIGN §12): starts a single-node cluster on this machine
# (munged, slurmctld and slurmd from a minimal slurm.conf in a temporary folder, all on localhost,
# ports of their own), submits a run of 4 shards plus the dependent merge on MovieLens
# ml-latest-small with app/cluster/reclens-slurm, waits (bounded), and checks that the merged JSON,
# lists and per-user CSV equal one unsharded `reclens-cli evaluate` run. Every daemon it started is
# stopped by its pid, whether the check passes, fails or is interrupted.
#   check_slurm.sh RECLENS_CLI [WORK_DIR]
# The datasets folder is $RECLENS_SHARED_DATASETS, else ../shared/datasets beside the repository.
# Exit 0 when the merged run equals the unsharded one, 1 when not (or the cluster did not come up),
# 77 (skipped) without Slurm/munge (Debian slurm-wlm, munge), MovieLens or python3.
set -euo pipefail
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 RECLENS_CLI [WORK_DIR]" >&2
  exit 2
fi
cli=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
datasets=${RECLENS_SHARED_DATASETS:-$root/../shared/datasets}
ml=$datasets/ml-latest-small
for tool in munged slurmctld slurmd sbatch squeue sinfo scancel; do
  if ! command -v "$tool" >/dev/null && [ ! -x "/usr/sbin/$tool" ]; then
    echo "$tool not found (Debian packages slurm-wlm and munge): skipped"
    exit 77
  fi
done
[ -f "$ml/ratings.csv" ] || { echo "MovieLens not found under $datasets: skipped"; exit 77; }
py=/usr/bin/python3
[ -x "$py" ] || py=$(command -v python3 || true)
[ -n "$py" ] || { echo "python3 not found: skipped"; exit 77; }
export PATH=$PATH:/usr/sbin

d=$(mktemp -d /tmp/reclens-slurm.XXXXXX)
chmod 755 "$d"
keep=0
if [ $# -eq 2 ]; then
  work=$(realpath -m "$2")
  mkdir -p "$work"
  keep=1
else
  work=$d/work
  mkdir -p "$work"
fi
stop_daemons() {
  local rc=$?
  set +e
  if [ -f "$d/slurm.conf" ]; then
    SLURM_CONF=$d/slurm.conf scancel --quiet --full "--user=$(id -un)" 2>/dev/null
  fi
  for name in slurmd slurmctld munged; do
    local pidfile=$d/$name.pid
    [ -s "$pidfile" ] || continue
    local pid
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null
    for _ in $(seq 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null
  done
  if [ $rc -ne 0 ]; then
    for f in "$d"/*.log; do
      [ -f "$f" ] && { echo "--- $(basename "$f") (last lines)"; tail -n 15 "$f"; }
    done
  fi
  rm -rf "$d"
  exit $rc
}
trap stop_daemons EXIT
trap 'exit 1' INT TERM

# munge: a key of our own and a socket in the temporary folder.
head -c 1024 /dev/urandom >"$d/munge.key"
chmod 400 "$d/munge.key"
munged --key-file="$d/munge.key" --socket="$d/munge.sock" --pid-file="$d/munged.pid" \
  --log-file="$d/munged.log" --seed-file="$d/munge.seed" --force
for _ in $(seq 50); do [ -S "$d/munge.sock" ] && break; sleep 0.1; done

host=$(hostname -s)
cpus=$(nproc)
mem=$(awk '/MemTotal/ {printf "%d", $2 / 1024 * 0.8}' /proc/meminfo)
user=$(id -un)
# Ports of our own (a second run on the machine must not collide): derived from our pid.
base=$((20000 + ($$ % 4000) * 2))
mkdir -p "$d/state" "$d/spool"
cat >"$d/slurm.conf" <<EOF
ClusterName=reclens-test
SlurmctldHost=$host
SlurmUser=$user
SlurmdUser=$user
AuthType=auth/munge
AuthInfo=socket=$d/munge.sock
CredType=cred/munge
SlurmctldPort=$base
SlurmdPort=$((base + 1))
StateSaveLocation=$d/state
SlurmdSpoolDir=$d/spool
SlurmctldPidFile=$d/slurmctld.pid
SlurmdPidFile=$d/slurmd.pid
SlurmctldLogFile=$d/slurmctld.log
SlurmdLogFile=$d/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SchedulerType=sched/backfill
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=reclens Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$d/slurm.conf
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
up=0
for _ in $(seq 150); do
  state=$(sinfo -h -N -o %t 2>/dev/null | head -n1 || true)
  if [ "$state" = idle ]; then
    up=1
    break
  fi
  sleep 0.2
done
if [ $up = 0 ]; then
  echo "check_slurm: the single-node cluster did not come up (node state '${state:-none}')"
  exit 1
fi
echo "cluster up: node $host, $cpus CPUs, ${mem} MiB, ports $base/$((base + 1))"

cd "$work"
"$cli" import movielens "$ml" --out ml.sqlite >import.txt
"$cli" train bpr --data ml.sqlite --out ml-bpr.pt --epochs 3 --threads 1 >train.txt
args=(--data "$work/ml.sqlite" --model "$work/ml-bpr.pt" --rerank mmr --diversity 0.4 --k 10 --pool 50)
"$cli" evaluate "${args[@]}" --json whole.json --lists whole.csv --per-user whole-pu.csv >whole.txt

start=$SECONDS
"$root/app/cluster/reclens-slurm" --shards 4 --out "$work/run" --cli "$cli" --cpus 1 --mem 1G --time 10 \
  --wait 240 -- evaluate "${args[@]}"
echo "4 shards + merge through Slurm in $((SECONDS - start)) s"
"$py" "$root/tests/data/shards/compare_outputs.py" whole.json run/merged.json whole.csv run/lists.csv \
  whole-pu.csv run/per-user.csv
echo "check_slurm: merged Slurm run equals the unsharded run"
