"""The demo data: a 中四国 series modelled on the exchange session of 2023-12-15."""
