"""The I/O core: transport loop, responses, streams, pages, downloads, resource base.

The async modules are the hand-written source; the sync package of the same
shape is generated from them by `tools/codegen/unasync.py` (`make generate`).
Decisions live in the sans-IO modules one level up; these modules only send,
read, sleep and close.
"""
