"""The inference server program. Its folder holds nothing else, because running it by path puts
this folder first on the server's `sys.path`, where user code imports its own modules."""
