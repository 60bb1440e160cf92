"""The benchmark: data at two sizes (`bench.data`), `make bench` (`bench.run`)."""
