"""Schema: turns raw tabs into typed records with their sheet positions.

Everything it cannot turn into a value becomes a `Finding` pointing at the cell.
"""
