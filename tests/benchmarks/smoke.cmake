# Re-ranking and evaluation benchmarks, tiny sizes (the real runs are documented in docs/benchmarks.md).
if(TARGET bench_rerank)
  add_test(NAME smoke_bench_rerank COMMAND bench_rerank --users 40 --pool 50 --k 10 --dim 16 --reps 5)
  set_tests_properties(smoke_bench_rerank PROPERTIES TIMEOUT 120)
endif()
if(TARGET bench_evaluate)
  add_test(NAME smoke_bench_evaluate COMMAND bench_evaluate --users 400 --items 600 --dim 8 --naive-users 20)
  set_tests_properties(smoke_bench_evaluate PROPERTIES TIMEOUT 120)
endif()
# Scoring: engine vs naive loop vs Faiss on tiny generated embeddings.
if(TARGET bench_scoring)
  add_test(NAME smoke_bench_scoring COMMAND bench_scoring --users 300 --items 2000 --dim 16 --k 20 --naive-users 20)
  set_tests_properties(smoke_bench_scoring PROPERTIES TIMEOUT 120)
endif()
