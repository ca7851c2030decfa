"""The networking history as anyone may read it: a municipality's and a region's network."""
