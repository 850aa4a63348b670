"""人证核验: the camera's face against the credential's photo (dlib's detector and ResNet descriptor)."""
