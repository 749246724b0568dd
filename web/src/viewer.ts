/**
 * The scene in 3D: the run's glTF export in three.js, starting from the photo's camera (the
 * program's camera, exported with the scene), orbit controls, the photo as an overlay, and a
 * click on an object listing its PARAMS (keys named `<object>.…`).
 */
import * as THREE from "three";
import { OrbitControls } from "three/examples/jsm/controls/OrbitControls.js";
import { type GLTF, GLTFLoader } from "three/examples/jsm/loaders/GLTFLoader.js";
import type { ParamRow, RunDetail } from "./api.ts";
import { h } from "./dom.ts";

const WIDTH = 480;

function aspectOf(run: RunDetail): number {
  const t = (run.run?.["target"] ?? {}) as { width?: number; height?: number };
  return t.width && t.height ? t.width / t.height : 4 / 3;
}

/** The exported camera's pose and field of view, with orbit controls pivoting on the scene's centre. */
function photoCamera(gltf: GLTF, aspect: number): { camera: THREE.PerspectiveCamera; pivot: THREE.Vector3 } {
  const camera = new THREE.PerspectiveCamera(40, aspect, 0.01, 1000);
  const box = new THREE.Box3().setFromObject(gltf.scene);
  const centre = box.getCenter(new THREE.Vector3());
  const exported = gltf.cameras[0] as THREE.PerspectiveCamera | undefined;
  if (exported) {
    exported.updateWorldMatrix(true, false);
    camera.fov = exported.fov;
    exported.matrixWorld.decompose(camera.position, camera.quaternion, camera.scale);
  } else {
    camera.position.copy(centre).add(new THREE.Vector3(0, box.getSize(new THREE.Vector3()).length(), 0));
    camera.lookAt(centre);
  }
  camera.updateProjectionMatrix();
  // Pivot along the view ray at the centre's depth, so the first frame is exactly the photo's.
  const forward = new THREE.Vector3(0, 0, -1).applyQuaternion(camera.quaternion);
  const depth = Math.max(0.1, centre.clone().sub(camera.position).dot(forward));
  return { camera, pivot: camera.position.clone().addScaledVector(forward, depth) };
}

function objectParams(params: ParamRow[], name: string): string {
  const rows = params.filter((p) => p.key.startsWith(`${name}.`));
  return rows.length
    ? rows.map((p) => `${p.key} = ${JSON.stringify(p.value)}`).join("\n")
    : `${name}: no PARAMS of its own`;
}

/**
 * Blender's sun strength (W/m²) arrives as a glTF intensity that three.js's physical lights
 * render blown out to white; scale the scene's lights so the brightest is a plain daylight key.
 */
function tameLights(root: THREE.Object3D): void {
  const lights: THREE.Light[] = [];
  root.traverse((o) => {
    if ((o as THREE.Light).isLight) lights.push(o as THREE.Light);
  });
  const brightest = Math.max(0, ...lights.map((l) => l.intensity));
  if (brightest > 2) for (const l of lights) l.intensity *= 2 / brightest;
}

/** glTF meshes sit under a node carrying the Blender object's name: climb to the one with PARAMS. */
function owningNode(hit: THREE.Object3D, root: THREE.Object3D, params: ParamRow[]): THREE.Object3D {
  let node = hit;
  while (node.parent && node.parent !== root && !params.some((p) => p.key.startsWith(`${node.name}.`)))
    node = node.parent;
  return node;
}

export function sceneViewer(run: RunDetail, params: ParamRow[]): { el: HTMLElement; dispose: () => void } {
  const aspect = aspectOf(run);
  const renderer = new THREE.WebGLRenderer({ antialias: true, preserveDrawingBuffer: true });
  renderer.setSize(WIDTH, Math.round(WIDTH / aspect));
  renderer.toneMapping = THREE.ACESFilmicToneMapping;
  renderer.domElement.id = "viewer-canvas";
  const overlay = h("img", { src: run.target ?? "", class: "overlay", alt: "photo overlay" });
  overlay.hidden = true;
  const toggle = h("input", { type: "checkbox", id: "overlay-toggle" });
  toggle.addEventListener("change", () => {
    overlay.hidden = !toggle.checked;
  });
  const picked = h("pre", { class: "picked", id: "picked" }, "Click an object to see its PARAMS.");
  const status = h("p", { class: "muted", id: "viewer-status" }, "Exporting the scene to glTF…");
  const el = h(
    "section",
    { class: "viewer", id: "viewer" },
    h("h3", {}, "3D (from the photo's camera; drag to orbit)"),
    h("div", { class: "stack" }, renderer.domElement, overlay),
    h("label", {}, toggle, " photo overlay"),
    status,
    picked,
  );
  let frame = 0;
  let disposed = false;
  new GLTFLoader().load(
    `/api/runs/${encodeURIComponent(run.id)}/scene.glb`,
    (gltf) => {
      if (disposed) return;
      const scene = new THREE.Scene();
      scene.background = new THREE.Color(0xdde4ea);
      tameLights(gltf.scene);
      scene.add(gltf.scene, new THREE.HemisphereLight(0xffffff, 0x666666, 0.8));
      const { camera, pivot } = photoCamera(gltf, aspect);
      const controls = new OrbitControls(camera, renderer.domElement);
      controls.target.copy(pivot);
      controls.update();
      const ray = new THREE.Raycaster();
      renderer.domElement.addEventListener("click", (e) => {
        const r = renderer.domElement.getBoundingClientRect();
        ray.setFromCamera(
          new THREE.Vector2(
            ((e.clientX - r.left) / r.width) * 2 - 1,
            -((e.clientY - r.top) / r.height) * 2 + 1,
          ),
          camera,
        );
        const first = ray.intersectObjects(gltf.scene.children, true)[0]?.object;
        const hit = first ? owningNode(first, gltf.scene, params) : null;
        picked.textContent = hit ? objectParams(params, hit.name) : "Nothing there.";
      });
      const loop = () => {
        frame = requestAnimationFrame(loop);
        renderer.render(scene, camera);
      };
      loop();
      status.textContent = `${gltf.scene.children.length} nodes; camera ${gltf.cameras.length ? "from the photo" : "guessed (none exported)"}`;
      el.dataset.ready = "1";
    },
    undefined,
    (err) => {
      status.textContent = `Could not load the scene: ${String(err)}`;
    },
  );
  return {
    el,
    dispose: () => {
      disposed = true;
      cancelAnimationFrame(frame);
      renderer.dispose();
    },
  };
}
