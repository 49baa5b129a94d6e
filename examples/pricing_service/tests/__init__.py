"""Tests of the reference pricing service, through FastAPI's TestClient."""
