"""Where the log lives and how bytes get there: stores, recorders, the writer process, sinks,
transcodings, copying between stores, and the guard on every file a command writes.

Every speed trick of the write path lives in this room, behind :mod:`flashpoint.storage.sinks`.
"""
