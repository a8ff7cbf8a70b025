"""A TorchScript two-tower model in RecLens's format (DESIGN §3): item_ids(), user_ids(),
user_embeddings(), item_embeddings(), item_bias(), and forward() = the same score. Shared by the test
scripts that export models from Python (tests/data/rerank/make_movielens_model.py,
tests/gpu/make_large_case.py)."""
from typing import List

import torch


class TwoTower(torch.nn.Module):
    def __init__(self, items: List[str], users: List[str], user_emb: torch.Tensor, item_emb: torch.Tensor,
                 bias: torch.Tensor):
        super().__init__()
        self.items = items
        self.users = users
        self.register_buffer("user_emb", user_emb)
        self.register_buffer("item_emb", item_emb)
        self.register_buffer("bias", bias)

    @torch.jit.export
    def item_ids(self) -> List[str]:
        return self.items

    @torch.jit.export
    def user_ids(self) -> List[str]:
        return self.users

    @torch.jit.export
    def user_embeddings(self) -> torch.Tensor:
        return self.user_emb

    @torch.jit.export
    def item_embeddings(self) -> torch.Tensor:
        return self.item_emb

    @torch.jit.export
    def item_bias(self) -> torch.Tensor:
        return self.bias

    def forward(self, users: torch.Tensor, items: torch.Tensor) -> torch.Tensor:
        return self.user_emb[users] @ self.item_emb[items].t() + self.bias[items]
