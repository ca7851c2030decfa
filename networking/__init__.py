"""The lower layer: municipality directory, regions, encounter history and group assignment."""
