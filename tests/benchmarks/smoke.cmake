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
# The workspace against evaluate (DESIGN §13): a tiny generated shop, and the sample's demo session
# (four sources, MMR, a rule); fails when the two disagree on any number.
if(TARGET bench_workspace)
  add_test(NAME smoke_bench_workspace COMMAND bench_workspace --users 3000 --items 1500 --dim 16)
  set_tests_properties(smoke_bench_workspace PROPERTIES TIMEOUT 180)
  add_test(NAME smoke_bench_workspace_demo COMMAND bench_workspace --session ${CMAKE_BINARY_DIR}/sample_data/demo.reclens)
  set_tests_properties(smoke_bench_workspace_demo PROPERTIES TIMEOUT 300)
endif()
