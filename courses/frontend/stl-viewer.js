// The lesson's 3D viewer: every <figure class="stl-viewer" data-src="…"> gets a rotatable
// view of its STL file. Bundled with esbuild into courses/static/courses/vendor/ (no CDN).
import {
  AmbientLight,
  Box3,
  Color,
  DirectionalLight,
  Mesh,
  MeshStandardMaterial,
  PerspectiveCamera,
  Scene,
  Vector3,
  WebGLRenderer,
} from "three";
import { OrbitControls } from "three/examples/jsm/controls/OrbitControls.js";
import { STLLoader } from "three/examples/jsm/loaders/STLLoader.js";

function mount(figure) {
  // A lesson with two viewers includes this script twice: mount each figure once.
  if (figure.dataset.mounted) return;
  figure.dataset.mounted = "true";
  const canvasBox = figure.querySelector(".stl-canvas");
  const status = figure.querySelector(".stl-status");
  let renderer;
  try {
    renderer = new WebGLRenderer({ antialias: true });
  } catch (error) {
    if (status) status.textContent = figure.dataset.noWebgl || "WebGL unavailable";
    return;
  }
  const scene = new Scene();
  scene.background = new Color(0xf4f1ea);
  scene.add(new AmbientLight(0xffffff, 0.6));
  const light = new DirectionalLight(0xffffff, 1.2);
  light.position.set(1, 1, 2);
  scene.add(light);
  const camera = new PerspectiveCamera(40, 1, 0.1, 10000);
  const controls = new OrbitControls(camera, renderer.domElement);

  function resize() {
    const width = canvasBox.clientWidth || 300;
    const height = Math.round(width * 0.75);
    renderer.setSize(width, height);
    camera.aspect = width / height;
    camera.updateProjectionMatrix();
  }
  canvasBox.appendChild(renderer.domElement);
  resize();
  window.addEventListener("resize", resize);

  new STLLoader().load(
    figure.dataset.src,
    (geometry) => {
      geometry.computeVertexNormals();
      const mesh = new Mesh(geometry, new MeshStandardMaterial({ color: 0xd9622b }));
      mesh.rotation.x = -Math.PI / 2; // slicers put Z up, three.js puts Y up
      scene.add(mesh);
      const box = new Box3().setFromObject(mesh);
      const size = box.getSize(new Vector3()).length();
      const center = box.getCenter(new Vector3());
      controls.target.copy(center);
      camera.position.copy(center).add(new Vector3(size * 0.6, size * 0.5, size * 0.9));
      camera.near = size / 100;
      camera.far = size * 100;
      camera.updateProjectionMatrix();
      figure.classList.add("stl-loaded");
      if (status) status.textContent = "";
    },
    undefined,
    () => {
      if (status) status.textContent = figure.dataset.failed || "Could not load the model";
    },
  );
  renderer.setAnimationLoop(() => {
    controls.update();
    renderer.render(scene, camera);
  });
}

document.querySelectorAll("figure.stl-viewer[data-src]").forEach(mount);
