"""Train a classifier on the iris data across the workers of a ModelArts job with PyTorch DDP.

Every worker reads its share of `<data_url>/iris.csv` (columns sl, sw, pl, pw, species), the
workers average their gradients after every step (DistributedDataParallel), and worker 0 writes
the trained model to `<train_url>/model/iris_ddp.pt`. Every worker writes `rank-<r>.json`
next to it. The script finds the other workers through the variables ModelArts sets, so it runs
unchanged on the cloud and on Local ModelArts:

* old training (v1): `BATCH_CUSTOM0_HOSTS` (worker 0's `host:port`), `DLS_TASK_INDEX`,
  `DLS_TASK_NUMBER`;
* training v2: `VC_WORKER_HOSTS` (worker 0 first), `VC_TASK_INDEX`, `MA_NUM_HOSTS`, and
  `MASTER_PORT` where set (else 6060, the port ModelArts' examples use).

On CPU it uses the gloo backend. For GPUs on the cloud: pick a GPU flavor, use `backend="nccl"`,
move the model and every batch to `torch.device("cuda", local_rank)` and wrap the model with
`DistributedDataParallel(model, device_ids=[local_rank])`; with several GPUs per worker start
one process per GPU (`torchrun --nproc_per_node=$MA_NUM_GPUS`) and give each the rank
`node_rank * gpus + local_rank`.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import time

import moxing as mox
import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel

SPECIES = ("setosa", "versicolor", "virginica")


def rendezvous() -> tuple[str, int, int]:
    """(init_method, rank, world size) from the cloud's variables."""
    if "BATCH_CUSTOM0_HOSTS" in os.environ:
        return (
            "tcp://" + os.environ["BATCH_CUSTOM0_HOSTS"],
            int(os.environ["DLS_TASK_INDEX"]),
            int(os.environ["DLS_TASK_NUMBER"]),
        )
    master = os.environ["VC_WORKER_HOSTS"].split(",")[0]
    port = os.environ.get("MASTER_PORT", "6060")
    return (
        f"tcp://{master}:{port}",
        int(os.environ["VC_TASK_INDEX"]),
        int(os.environ["MA_NUM_HOSTS"]),
    )


def load_share(data_url: str, rank: int, world: int) -> tuple[torch.Tensor, torch.Tensor]:
    """This worker's rows: every `world`-th row, starting at row `rank`."""
    text = mox.file.read(data_url.rstrip("/") + "/iris.csv")
    rows = list(csv.DictReader(io.StringIO(text)))[rank::world]
    features = torch.tensor([[float(r[k]) for k in ("sl", "sw", "pl", "pw")] for r in rows])
    labels = torch.tensor([SPECIES.index(r["species"]) for r in rows])
    return features, labels


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data_url", required=True)
    parser.add_argument("--train_url", required=True)
    parser.add_argument("--epochs", type=int, default=200)
    parser.add_argument("--lr", type=float, default=0.1)
    # Seconds between epochs, to watch a run's workers live (0 on real jobs).
    parser.add_argument("--pause", type=float, default=0.0)
    args, _ = parser.parse_known_args()

    init_method, rank, world = rendezvous()
    dist.init_process_group("gloo", init_method=init_method, rank=rank, world_size=world)
    print(f"rank {rank} of {world} joined through {init_method}", flush=True)

    # Every rank adds rank + 1: the sum proves that all of them take part.
    total = torch.tensor([float(rank + 1)])
    dist.all_reduce(total, op=dist.ReduceOp.SUM)
    print(f"all_reduce sum = {total.item():g}", flush=True)

    torch.manual_seed(0)
    features, labels = load_share(args.data_url, rank, world)
    mean, std = features.mean(0), features.std(0)
    model = DistributedDataParallel(torch.nn.Linear(4, len(SPECIES)))
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    for epoch in range(args.epochs):
        optimizer.zero_grad()
        loss = loss_fn(model((features - mean) / std), labels)
        loss.backward()
        optimizer.step()
        if epoch % 50 == 0 or epoch == args.epochs - 1:
            print(f"rank {rank} epoch {epoch} loss {loss.item():.4f}", flush=True)
        if args.pause:
            time.sleep(args.pause)

    with torch.no_grad():
        accuracy = (model((features - mean) / std).argmax(1) == labels).float().mean().item()
    output = args.train_url.rstrip("/")
    summary = {"rank": rank, "world_size": world, "rows": len(labels), "accuracy": accuracy}
    mox.file.write(f"{output}/rank-{rank}.json", json.dumps(summary))
    if rank == 0:
        buffer = io.BytesIO()
        torch.save({"state_dict": model.module.state_dict(), "mean": mean, "std": std}, buffer)
        mox.file.make_dirs(f"{output}/model")
        mox.file.write(f"{output}/model/iris_ddp.pt", buffer.getvalue(), binary=True)
        print(f"rank 0 wrote {output}/model/iris_ddp.pt (accuracy {accuracy:.2f})", flush=True)
    dist.barrier()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
